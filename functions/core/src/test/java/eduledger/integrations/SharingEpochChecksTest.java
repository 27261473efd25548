package eduledger.integrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.storage.Tables;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The guards of one write's transactions take the epoch's copies in turn, so that two transactions
 * in flight at once never check the same copy (DynamoDB would cancel one of them).
 */
class SharingEpochChecksTest {
    private final IntegrationStore store =
            new IntegrationStore(null, new Tables("control", "roster", "events"), Clock.systemUTC());

    @Test
    void consecutiveGuardsCheckEveryCopyInTurn() {
        Supplier<TransactWriteItem> guards = store.sharingEpochChecks(7);
        List<Integer> copies = new ArrayList<>();
        for (int i = 0; i < 2 * IntegrationStore.EPOCH_COPIES; i++) {
            ConditionCheck check = guards.get().conditionCheck();
            assertEquals("control", check.tableName());
            assertEquals("#e = :e", check.conditionExpression());
            assertEquals("7", check.expressionAttributeValues().get(":e").n());
            String pk = check.key().get("pk").s();
            copies.add(Integer.parseInt(pk.substring(pk.indexOf('#') + 1)));
        }
        for (int i = 1; i < copies.size(); i++) {
            assertEquals((copies.get(i - 1) + 1) % IntegrationStore.EPOCH_COPIES, copies.get(i), copies.toString());
        }
    }

    @Test
    void beforeAnySharingChangeTheGuardChecksThatNoneWasMade() {
        ConditionCheck check = store.sharingEpochChecks(0).get().conditionCheck();
        assertEquals("attribute_not_exists(#e)", check.conditionExpression());
    }
}
