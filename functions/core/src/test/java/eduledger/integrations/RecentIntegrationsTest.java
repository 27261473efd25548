package eduledger.integrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.lambda.Services;
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the audit routes know of an integration is at most a second old, and a new one is found at once. */
class RecentIntegrationsTest {
    private final Services services = TestServices.shared();

    @Test
    void aSharingChangeIsSeenOnceTheRememberedRecordIsASecondOld() {
        SettableClock clock = new SettableClock(services.clock().instant());
        RecentIntegrations recent = new RecentIntegrations(services.integrations(), clock);
        Integration created = services.integrations().create("recent", Sharing.all());
        assertEquals(
                Sharing.ALL, recent.find(created.id()).orElseThrow().sharing().type());

        Sharing narrowed = new Sharing(Sharing.RULES, Set.of("district-recent"), Set.of(), 0);
        assertTrue(services.integrations()
                .updateSharing(created.id(), created.sharing().version(), narrowed));
        clock.advance(RecentIntegrations.FRESHNESS.minusMillis(1));
        assertEquals(
                Sharing.ALL, recent.find(created.id()).orElseThrow().sharing().type(), "under a second old");
        clock.advance(Duration.ofMillis(1));
        Sharing seen = recent.find(created.id()).orElseThrow().sharing();
        assertEquals(Sharing.RULES, seen.type());
        assertEquals(Set.of("district-recent"), seen.organizationIds());
    }

    @Test
    void anIntegrationThatDidNotExistIsFoundAsSoonAsItDoes() {
        SettableClock clock = new SettableClock(services.clock().instant());
        RecentIntegrations recent = new RecentIntegrations(services.integrations(), clock);
        String id = java.util.UUID.randomUUID().toString();
        assertTrue(recent.find(id).isEmpty());
        services.integrations().createWithId(id, "late");
        assertEquals(id, recent.find(id).orElseThrow().id());
    }
}
