package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stream images become the SDK's attribute values exactly as the events library's transformer makes them. */
class StreamRecordsTest {

    @Test
    void convertsEveryAttributeTypeAsTheEventsLibraryDoes() throws IOException {
        DynamodbEvent event = StreamEventJson.read(new ByteArrayInputStream("""
                {"Records": [{"eventID": "1", "eventName": "MODIFY", "dynamodb": {
                  "SequenceNumber": "100",
                  "Keys": {"pk": {"S": "OBJECT#people#p"}, "sk": {"S": "OBJECT"}},
                  "NewImage": {"s": {"S": "x"}, "empty": {"S": ""}, "n": {"N": "-1.50"}, "b": {"B": "AAEC"},
                    "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
                    "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AA==", "AQ=="]},
                    "m": {"M": {"inner": {"L": [{"S": "q"}, {"M": {}}, {"L": []}, {"N": "7"}]}}}},
                  "OldImage": {"s": {"S": "y"}}
                }}]}
                """.getBytes(StandardCharsets.UTF_8)));
        var stream = event.getRecords().get(0).getDynamodb();
        for (Map<String, AttributeValue> image :
                List.of(stream.getKeys(), stream.getNewImage(), stream.getOldImage())) {
            assertEquals(DynamodbAttributeValueTransformer.toAttributeValueMapV2(image), StreamRecords.sdk(image));
        }
        var converted = StreamRecords.sdk(stream.getNewImage());
        assertEquals("-1.50", converted.get("n").n());
        assertEquals("q", converted.get("m").m().get("inner").l().get(0).s());
        assertEquals(List.of("a", "b"), converted.get("ss").ss());
    }

    @Test
    void emptySetsBecomeAbsentAndAnEmptyListStaysAListAsTheEventsLibraryMakesThem() {
        Map<String, AttributeValue> image = Map.of(
                "ss", new AttributeValue().withSS(List.of()),
                "ns", new AttributeValue().withNS(List.of()),
                "bs", new AttributeValue().withBS(List.of()),
                "l", new AttributeValue().withL(List.of()),
                "m", new AttributeValue().withM(Map.of()));
        var converted = StreamRecords.sdk(image);
        assertEquals(DynamodbAttributeValueTransformer.toAttributeValueMapV2(image), converted);
        assertEquals(false, converted.get("ss").hasSs());
        assertEquals(true, converted.get("l").hasL());
    }

    @Test
    void noImageIsNoMapAndAValueOfNoTypeIsRefused() {
        assertNull(StreamRecords.sdk(null));
        Map<String, AttributeValue> typeless = Map.of("x", new AttributeValue());
        assertThrows(
                IllegalArgumentException.class,
                () -> DynamodbAttributeValueTransformer.toAttributeValueMapV2(typeless));
        assertThrows(IllegalArgumentException.class, () -> StreamRecords.sdk(typeless));
    }
}
