package eduledger.courses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of CourseEvents, newest first, the range it was read as, and whether more remain beyond
 * it in the direction that range reads (older for the top and {@code next} pages, newer for
 * {@code prev} and {@code last} pages).
 */
public record CourseEventPage(List<ObjectNode> events, boolean more, CourseEventRange range) {
    public CourseEventPage {
        events = List.copyOf(events);
    }

    public String firstId() {
        return events.isEmpty() ? null : events.get(0).path("id").asText();
    }

    public String lastId() {
        return events.isEmpty()
                ? null
                : events.get(events.size() - 1).path("id").asText();
    }
}
