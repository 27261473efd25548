package eduledger.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol itself, below the SDK: targets, errors, checksums. */
class WireTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING = EngineFixture.running(DynamoDbEngine.builder());

    static final DynamoDbEngine engine = RUNNING.engine();

    private record Answer(int status, String body, String crc, String requestId) {}

    private static Answer post(String target, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) engine.endpoint().toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
        if (target != null) c.setRequestProperty("X-Amz-Target", target);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(status, text, c.getHeaderField("x-amz-crc32"), c.getHeaderField("x-amzn-RequestId"));
    }

    @Test
    void answersCarryTheirCrc32AndARequestId() throws IOException {
        Answer a = post("DynamoDB_20120810.ListTables", "{}");
        assertEquals(200, a.status);
        CRC32 crc = new CRC32();
        crc.update(a.body.getBytes(StandardCharsets.UTF_8));
        assertEquals(Long.toString(crc.getValue()), a.crc);
        assertNotNull(a.requestId);
        assertTrue(a.body.contains("\"TableNames\""));
    }

    @Test
    void unknownOperationsAndMalformedJsonAreRefusedAsDynamoDbDoes() throws IOException {
        Answer unknown = post("DynamoDB_20120810.Frobnicate", "{}");
        assertEquals(400, unknown.status);
        assertTrue(unknown.body.contains("UnknownOperationException"), unknown.body);
        Answer malformed = post("DynamoDB_20120810.ListTables", "{\"Limit\": ");
        assertEquals(400, malformed.status);
        assertTrue(malformed.body.contains("SerializationException"), malformed.body);
    }

    @Test
    void validationErrorsNameTheFieldAndConstraint() throws IOException {
        Answer a = post("DynamoDB_20120810.PutItem", "{\"TableName\":\"ab\",\"Item\":{\"pk\":{\"S\":\"x\"}}}");
        assertEquals(400, a.status);
        assertTrue(a.body.contains("ValidationException"));
        assertTrue(
                a.body.contains(
                        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
                a.body);
    }
}
