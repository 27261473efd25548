package eduledger.courses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import eduledger.lambda.Services;
import eduledger.storage.Attributes;
import eduledger.testing.PassThroughDynamoDb;
import eduledger.testing.TestServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The account directory as organization changes write it, on the test store. */
class CourseAuditStoreTest {
    private final Services services = TestServices.shared();
    private final CountingDynamoDb counted = new CountingDynamoDb(services);
    private final CourseAuditStore store = new CourseAuditStore(counted, services.tables());

    @Test
    void anOrganizationSeenByManyIntegrationsIsSavedForEachInTransactionsOfAHundred() {
        String district = "district-" + UUID.randomUUID();
        String school = "school-" + UUID.randomUUID();
        List<String> integrations = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            integrations.add("integration-" + UUID.randomUUID());
        }
        Instant first = Instant.parse("2026-11-30T10:00:00Z");

        store.saveAccount(integrations, school, district, first);

        assertEquals(2, counted.transactions.get());
        assertEquals(0, counted.updates.get());
        for (String integration : integrations) {
            assertEquals(List.of(school, district), store.accountChain(integration, school, first));
            assertEquals(first.toString(), Attributes.string(account(integration, school), "known_since"));
        }
    }

    @Test
    void aLaterChangeMovesTheParentAndKeepsWhenTheAccountWasFirstKnown() {
        String district = "district-" + UUID.randomUUID();
        String other = "district-" + UUID.randomUUID();
        String school = "school-" + UUID.randomUUID();
        String integration = "integration-" + UUID.randomUUID();
        Instant first = Instant.parse("2026-11-30T10:00:00Z");
        Instant later = first.plusSeconds(3_600);

        store.saveAccount(List.of(integration), school, district, first);
        store.saveAccount(List.of(integration, integration), school, other, later);

        Map<String, AttributeValue> moved = account(integration, school);
        assertEquals(other, Attributes.string(moved, "parent_id"));
        assertEquals(first.toString(), Attributes.string(moved, "known_since"));

        store.saveAccount(List.of(integration), school, null, later);

        Map<String, AttributeValue> root = account(integration, school);
        assertNull(root.get("parent_id"));
        assertEquals(first.toString(), Attributes.string(root, "known_since"));
        assertEquals(List.of(school), store.accountChain(integration, school, later));
        assertEquals(0, counted.updates.get());
    }

    @Test
    void noIntegrationsWriteNothing() {
        store.saveAccount(List.of(), "school-" + UUID.randomUUID(), null, Instant.now());

        assertEquals(0, counted.transactions.get());
        assertEquals(0, counted.updates.get());
    }

    private Map<String, AttributeValue> account(String integration, String accountId) {
        return services.dynamo()
                .getItem(b -> b.tableName(services.tables().events())
                        .key(Attributes.key(
                                CourseKeys.auditAccount(integration, accountId), CourseKeys.AUDIT_ACCOUNT_SK))
                        .consistentRead(true))
                .item();
    }

    private static final class CountingDynamoDb extends PassThroughDynamoDb {
        final AtomicInteger transactions = new AtomicInteger();
        final AtomicInteger updates = new AtomicInteger();

        CountingDynamoDb(Services services) {
            super(services.dynamo());
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            transactions.incrementAndGet();
            return super.transactWriteItems(request);
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            updates.incrementAndGet();
            return super.updateItem(request);
        }
    }
}
