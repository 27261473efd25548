package eduledger.courses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of CourseEvents, newest first, and whether older ones remain in range. */
public record CourseEventPage(List<ObjectNode> events, boolean more) {
    public CourseEventPage {
        events = List.copyOf(events);
    }

    public String lastId() {
        return events.isEmpty()
                ? null
                : events.get(events.size() - 1).path("id").asText();
    }
}
