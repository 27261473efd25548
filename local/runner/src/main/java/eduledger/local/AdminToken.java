package eduledger.local;

import eduledger.auth.Scope;
import eduledger.auth.TokenStore;
import eduledger.auth.Tokens;
import eduledger.storage.Tables;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./eduledger admin-token}: the platform operator's first token for a deployed stack, written
 * into its control table with the operator's own AWS credentials (the SDK's default chain: the
 * environment, {@code ~/.aws}, SSO, an instance role) and printed once. Only its hash is stored.
 */
final class AdminToken {
    static final String OPERATOR_ID = LocalSystem.OPERATOR_ID;

    private AdminToken() {}

    /**
     * @param endpoint a DynamoDB endpoint other than AWS's (a local engine); empty for AWS
     * @return the token, which exists nowhere else
     */
    static String create(String table, Optional<String> region, Optional<URI> endpoint) {
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        try (DynamoDbClient dynamo = builder.build()) {
            dynamo.describeTable(b -> b.tableName(table));
            return new TokenStore(dynamo, new Tables(table, null, null), Clock.systemUTC())
                    .store(OPERATOR_ID, Scope.operatorScopes(), Tokens.generate());
        } catch (SdkException e) {
            throw new IllegalArgumentException("cannot write to table " + table + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
