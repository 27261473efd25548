package eduledger.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a batched append did with each pending event, named by its delivery marker id: written
 * (under the id it got when its request was sent), a duplicate (its marker existed, nothing
 * written), or failed (nothing written by this call; writing it again is safe).
 */
public record AppendedEvents(List<GraphEvent> written, Set<String> duplicateMarkers, Map<String, RuntimeException> failures) {

    public AppendedEvents {
        written = List.copyOf(written);
        duplicateMarkers = Set.copyOf(duplicateMarkers);
        failures = Map.copyOf(failures);
    }

    /** Why some of these events could not be written; empty when each was written or a duplicate. */
    public Optional<RuntimeException> failureOf(List<PendingGraphEvent> events) {
        return events.stream().map(event -> failures.get(event.markerId())).filter(failure -> failure != null).findFirst();
    }
}
