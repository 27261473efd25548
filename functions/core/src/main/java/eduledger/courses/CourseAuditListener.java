package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.RosterCollection;
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
 * only for integrations that have seen that course, so an integration never learns of a course it
 * cannot see.
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
    public void onChange(RosterChange change, Set<String> visibleToIntegrationIds) {
        if (change.collection() == RosterCollection.ORGANIZATIONS) {
            onAccountChange(change, visibleToIntegrationIds);
        } else if (change.collection() == RosterCollection.COURSES) {
            onCourseChange(change, visibleToIntegrationIds);
        }
    }

    private void onAccountChange(RosterChange change, Set<String> integrations) {
        if (change.newObject() == null) {
            return; // a removed account keeps its place: the events under it stay readable
        }
        String parentId = text(change.newObject(), "parent_id");
        for (String integrationId : integrations) {
            store.saveAccount(integrationId, change.objectId(), parentId, clock.instant());
        }
    }

    private void onCourseChange(RosterChange change, Set<String> integrations) {
        List<CourseEventDraft> drafts = CourseChanges.derive(change);
        JsonNode course = change.newObject() != null ? change.newObject() : change.oldObject();
        if (course == null) {
            return;
        }
        String accountId = CanvasCourses.accountId(course);
        // Expiry counts from the change, not from the write, so a retried write expires alike.
        Instant expiresAt = change.time().plus(retention);
        for (String integrationId : integrations) {
            List<String> chain =
                    accountId == null ? List.of() : store.accountChain(integrationId, accountId, clock.instant());
            store.saveCourse(integrationId, change.objectId(), course, chain);
            for (CourseEventDraft draft : drafts) {
                Optional<List<String>> draftChain = draft.courseId().equals(change.objectId())
                        ? Optional.of(chain)
                        : store.course(integrationId, draft.courseId()).map(CourseAuditStore.KnownCourse::accountChain);
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
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
