package eduledger.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a batched append did with each pending event: written (under the id it got when its
 * request was sent), a duplicate (its source's delivery marker already listed its integration,
 * nothing written), or failed, by the delivery marker id of its source (nothing written by this
 * call for the events of that source still missing; writing them again is safe).
 */
public record AppendedEvents(
        List<GraphEvent> written, List<PendingGraphEvent> duplicates, Map<String, RuntimeException> failures) {

    public AppendedEvents {
        written = List.copyOf(written);
        duplicates = List.copyOf(duplicates);
        failures = Map.copyOf(failures);
    }

    /** Why some of these events could not be written; empty when each was written or a duplicate. */
    public Optional<RuntimeException> failureOf(List<PendingGraphEvent> events) {
        return events.stream()
                .map(event -> failures.get(event.markerId()))
                .filter(failure -> failure != null)
                .findFirst();
    }
}
