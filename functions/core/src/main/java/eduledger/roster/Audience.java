package eduledger.roster;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which integrations could see an object before a change and which can see it after: those in
 * {@code after} only gain it, those in {@code before} only lose it and must learn nothing of what
 * it became.
 */
public record Audience(Set<String> before, Set<String> after) {
    public Audience {
        before = Set.copyOf(before);
        after = Set.copyOf(after);
    }

    /** Integrations that saw the object throughout the change. */
    public static Audience steady(Set<String> integrationIds) {
        return new Audience(integrationIds, integrationIds);
    }

    /** Every integration that sees the object before or after, in no particular order. */
    public Set<String> all() {
        Set<String> all = new LinkedHashSet<>(before);
        all.addAll(after);
        return Collections.unmodifiableSet(all);
    }

    public boolean gains(String integrationId) {
        return after.contains(integrationId) && !before.contains(integrationId);
    }

    public boolean loses(String integrationId) {
        return before.contains(integrationId) && !after.contains(integrationId);
    }
}
