package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.roster.Audience;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.RosterCollection;
import eduledger.roster.SourceWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns roster changes into Canvas course events, for every integration the course is visible to.
 *
 * <p>Courses name their account in {@code account_id}. Organization changes (collection
 * {@code organizations}, parent in {@code parent_id}) build the account directory that account
 * chains are resolved from, so an event rolls up to its account and every ancestor account as they
 * stand when the event is written. An organization not (yet) seen ends the chain there: its events
 * roll up only as far as the directory knows.
 *
 * <p>{@code copied_to} and {@code reset_to} belong to the other course of the write: they are written
 * only for integrations that see that course, so an integration never learns of a course it cannot
 * see.
 *
 * <p>A course that comes into an integration's view (moved under an organization its sharing
 * names, or the sharing widened) is {@code created} for it, as it now is; one that leaves its view
 * is {@code deleted} for it, under the accounts it had, and its linked course stays as the
 * integration last saw it. Nothing the course became after leaving reaches that integration: not
 * in the change's events, not in {@code linked.courses}, not as a later copy or reset.
 */
public final class CourseAuditListener implements RosterChangeListener {
    private final CourseAuditStore store;
    private final Duration retention;
    private final Clock clock;

    public CourseAuditListener(CourseAuditStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void onChange(RosterChange change, Audience audience) {
        if (change.collection() == RosterCollection.ORGANIZATIONS) {
            // An account that left an integration's view keeps its place there as last seen.
            onAccountChange(change, audience.after());
        } else if (change.collection() == RosterCollection.COURSES) {
            onCourseChange(change, audience);
        }
    }

    /** The change as integrations that see the object both before and after it are told of it. */
    public void onChange(RosterChange change, Set<String> visibleToIntegrationIds) {
        onChange(change, Audience.steady(visibleToIntegrationIds));
    }

    private void onAccountChange(RosterChange change, Set<String> integrations) {
        if (change.newObject() == null) {
            return; // a removed account keeps its place: the events under it stay readable
        }
        if (integrations.isEmpty()) {
            return;
        }
        store.saveAccount(integrations, change.objectId(), text(change.newObject(), "parent_id"), clock.instant());
    }

    private void onCourseChange(RosterChange change, Audience audience) {
        JsonNode course = change.newObject() != null ? change.newObject() : change.oldObject();
        if (course == null) {
            return;
        }
        List<CourseEventDraft> drafts = CourseChanges.derive(change);
        for (String integrationId : audience.all()) {
            if (audience.loses(integrationId) && change.newObject() != null) {
                leave(change, integrationId);
            } else if (audience.gains(integrationId) && change.oldObject() != null) {
                // To this integration the course is new: it is created as it now is.
                RosterChange entering = new RosterChange(
                        change.collection(),
                        change.objectId(),
                        null,
                        change.newObject(),
                        change.sourceWrite(),
                        change.streamRecordId(),
                        change.time());
                write(entering, integrationId, change.newObject(), CourseChanges.derive(entering));
            } else {
                write(change, integrationId, course, drafts);
            }
        }
    }

    /**
     * The course left the integration's view with this change: {@code deleted} under the accounts it
     * had, told with no more of the write than its kind, and kept as last seen, out of view.
     */
    private void leave(RosterChange change, String integrationId) {
        SourceWrite write = change.sourceWrite();
        RosterChange leaving = new RosterChange(
                change.collection(),
                change.objectId(),
                change.oldObject(),
                null,
                new SourceWrite(write.source(), null, null, null, null, null),
                change.streamRecordId(),
                change.time());
        List<String> chain = store.course(integrationId, change.objectId())
                .map(CourseAuditStore.KnownCourse::accountChain)
                .orElseGet(() -> chain(integrationId, change.oldObject()));
        store.saveCourse(integrationId, change.objectId(), change.oldObject(), chain, false);
        append(leaving, integrationId, chain, CourseChanges.derive(leaving));
    }

    private void write(RosterChange change, String integrationId, JsonNode course, List<CourseEventDraft> drafts) {
        List<String> chain = chain(integrationId, course);
        store.saveCourse(integrationId, change.objectId(), course, chain);
        append(change, integrationId, chain, drafts);
    }

    private List<String> chain(String integrationId, JsonNode course) {
        String accountId = CanvasCourses.accountId(course);
        return accountId == null ? List.of() : store.accountChain(integrationId, accountId, clock.instant());
    }

    private void append(RosterChange change, String integrationId, List<String> chain, List<CourseEventDraft> drafts) {
        // Expiry counts from the change, not from the write, so a retried write expires alike.
        Instant expiresAt = change.time().plus(retention);
        for (CourseEventDraft draft : drafts) {
            Optional<List<String>> draftChain = draft.courseId().equals(change.objectId())
                    ? Optional.of(chain)
                    : store.course(integrationId, draft.courseId())
                            .filter(CourseAuditStore.KnownCourse::inView)
                            .map(CourseAuditStore.KnownCourse::accountChain);
            if (draftChain.isEmpty()) {
                continue;
            }
            String id = EventIds.derived(
                    change.time(),
                    change.streamRecordId() + "|" + integrationId + "|" + draft.courseId() + "|"
                            + draft.type().wire());
            store.append(
                    integrationId,
                    new CourseEvent(id, change.time(), draft, change.sourceWrite()),
                    draftChain.get(),
                    expiresAt);
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
