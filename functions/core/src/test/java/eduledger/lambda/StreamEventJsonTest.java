package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.harness.LambdaEvents;
import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change-stream function's own batch mapping must agree with the Lambda runtime's serializer it replaces. */
class StreamEventJsonTest {

    @Test
    void readsTheSampleBatchAsTheRuntimeDoes() throws IOException {
        String json = Files.readString(SamTemplate.locate().getParent().resolve("events/change-stream-records.json"));
        assertEquals(LambdaEvents.fromJson(json, DynamodbEvent.class), read(json));
    }

    @Test
    void readsEveryAttributeTypeBothImagesAndTheIdentityAsTheRuntimeDoes() throws IOException {
        String json = """
                {"Records": [{
                  "eventID": "1", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
                  "awsRegion": "eu-west-1", "eventSourceARN": "arn:aws:dynamodb:eu-west-1:1:table/t/stream/s",
                  "userIdentity": {"principalId": "dynamodb.amazonaws.com", "type": "Service"},
                  "unknown": {"skipped": [1, {"x": null}]},
                  "dynamodb": {
                    "ApproximateCreationDateTime": 1795348801, "SequenceNumber": "100", "SizeBytes": 512,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                    "Keys": {"pk": {"S": "OBJECT#people#p\\u00e9"}, "sk": {"S": "OBJECT"}},
                    "NewImage": {"s": {"S": "x"}, "n": {"N": "-1.50"}, "b": {"B": "AAEC"}, "t": {"BOOL": true},
                      "z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
                      "bs": {"BS": ["AA==", "AQ=="]}, "m": {"M": {"inner": {"L": [{"S": "q"}, {"M": {}}, {"L": []}]}}}},
                    "OldImage": {"s": {"S": "y"}}
                  }
                }, {"eventID": "2", "eventName": "REMOVE", "dynamodb": {"Keys": {"pk": {"S": "a"}}}}]}
                """;
        assertEquals(LambdaEvents.fromJson(json, DynamodbEvent.class), read(json));
    }

    @Test
    void refusesWhatIsNotABatch() {
        assertThrows(IOException.class, () -> read("[]"));
        assertThrows(IOException.class, () -> read("{\"Records\": {}}"));
        assertThrows(IOException.class, () -> read("{\"Records\": [{\"dynamodb\": {\"Keys\": []}}]}"));
    }

    @Test
    void writesResponsesAsTheRuntimeDoes() throws IOException {
        StreamsEventResponse failures = new StreamsEventResponse(List.of(
                new StreamsEventResponse.BatchItemFailure("100"), new StreamsEventResponse.BatchItemFailure("200")));
        for (StreamsEventResponse response : List.of(failures, new StreamsEventResponse(List.of()))) {
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            StreamEventJson.write(response, ours);
            assertEquals(
                    Json.readStored(LambdaEvents.toJson(response, StreamsEventResponse.class)),
                    Json.readStored(ours.toString(StandardCharsets.UTF_8)));
        }
    }

    private static DynamodbEvent read(String json) throws IOException {
        return StreamEventJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
