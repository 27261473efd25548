package eduledger.lambda;

import static eduledger.lambda.EventJson.expect;
import static eduledger.lambda.EventJson.text;
import static eduledger.lambda.EventJson.texts;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB stream batches, as Lambda delivers them, to and from JSON with jackson-core's streaming
 * parser, for the same reason as {@link eduledger.lambda.HttpEventJson}: the runtime's own mapping
 * loads a second, shaded Jackson with data binding on every cold start. Unknown fields are skipped.
 */
public final class StreamEventJson {
    private static final JsonFactory FACTORY = EventJson.factory(128);

    private StreamEventJson() {}

    public static DynamodbEvent read(InputStream input) throws IOException {
        try (JsonParser parser = FACTORY.createParser(input)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
            DynamodbEvent event = new DynamodbEvent();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("Records") && value != JsonToken.VALUE_NULL) {
                    expect(parser, value, JsonToken.START_ARRAY);
                    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        records.add(record(parser));
                    }
                    event.setRecords(records);
                } else {
                    parser.skipChildren();
                }
            }
            return event;
        }
    }

    public static void write(StreamsEventResponse response, OutputStream output) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(output)) {
            json.writeStartObject();
            if (response.getBatchItemFailures() != null) {
                json.writeArrayFieldStart("batchItemFailures");
                for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                    json.writeStartObject();
                    json.writeStringField("itemIdentifier", failure.getItemIdentifier());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    private static DynamodbEvent.DynamodbStreamRecord record(JsonParser parser) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "eventID" -> record.setEventID(text(parser, value));
                case "eventName" -> record.setEventName(text(parser, value));
                case "eventVersion" -> record.setEventVersion(text(parser, value));
                case "eventSource" -> record.setEventSource(text(parser, value));
                case "awsRegion" -> record.setAwsRegion(text(parser, value));
                case "eventSourceARN" -> record.setEventSourceARN(text(parser, value));
                case "dynamodb" -> record.setDynamodb(value == JsonToken.VALUE_NULL ? null : streamRecord(parser));
                case "userIdentity" -> record.setUserIdentity(value == JsonToken.VALUE_NULL ? null : identity(parser));
                default -> parser.skipChildren();
            }
        }
        return record;
    }

    private static StreamRecord streamRecord(JsonParser parser) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
        StreamRecord stream = new StreamRecord();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "ApproximateCreationDateTime" ->
                    stream.setApproximateCreationDateTime(
                            value == JsonToken.VALUE_NULL
                                    ? null
                                    : new Date(parser.getDecimalValue()
                                            .movePointRight(3)
                                            .longValue()));
                case "Keys" -> stream.setKeys(image(parser, value));
                case "NewImage" -> stream.setNewImage(image(parser, value));
                case "OldImage" -> stream.setOldImage(image(parser, value));
                case "SequenceNumber" -> stream.setSequenceNumber(text(parser, value));
                case "SizeBytes" -> stream.setSizeBytes(value == JsonToken.VALUE_NULL ? null : parser.getValueAsLong());
                case "StreamViewType" ->
                    stream.setStreamViewType(
                            value == JsonToken.VALUE_NULL ? null : StreamViewType.fromValue(parser.getText()));
                default -> parser.skipChildren();
            }
        }
        return stream;
    }

    private static Identity identity(JsonParser parser) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
        Identity identity = new Identity();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "principalId" -> identity.setPrincipalId(text(parser, value));
                case "type" -> identity.setType(text(parser, value));
                default -> parser.skipChildren();
            }
        }
        return identity;
    }

    private static Map<String, AttributeValue> image(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_OBJECT);
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            image.put(name, attribute(parser, parser.nextToken()));
        }
        return image;
    }

    private static AttributeValue attribute(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_OBJECT);
        AttributeValue attribute = new AttributeValue();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String type = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (type) {
                case "S" -> attribute.setS(parser.getText());
                case "N" -> attribute.setN(parser.getText());
                case "B" -> attribute.setB(binary(parser));
                case "BOOL" -> attribute.setBOOL(parser.getBooleanValue());
                case "NULL" -> attribute.setNULL(parser.getBooleanValue());
                case "SS" -> attribute.setSS(texts(parser, token));
                case "NS" -> attribute.setNS(texts(parser, token));
                case "BS" -> {
                    expect(parser, token, JsonToken.START_ARRAY);
                    List<ByteBuffer> values = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        values.add(binary(parser));
                    }
                    attribute.setBS(values);
                }
                case "M" -> attribute.setM(image(parser, token));
                case "L" -> {
                    expect(parser, token, JsonToken.START_ARRAY);
                    List<AttributeValue> values = new ArrayList<>();
                    for (JsonToken element = parser.nextToken();
                            element != JsonToken.END_ARRAY;
                            element = parser.nextToken()) {
                        values.add(attribute(parser, element));
                    }
                    attribute.setL(values);
                }
                default -> parser.skipChildren();
            }
        }
        return attribute;
    }

    private static ByteBuffer binary(JsonParser parser) throws IOException {
        return ByteBuffer.wrap(Base64.getDecoder().decode(parser.getText()));
    }
}
