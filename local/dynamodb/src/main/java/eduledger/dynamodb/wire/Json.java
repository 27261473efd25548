package eduledger.dynamodb.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import eduledger.dynamodb.value.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON tree on jackson-core's streaming API: objects are {@link LinkedHashMap}s, arrays
 * {@link ArrayList}s, numbers {@link BigDecimal}s, plus String, Boolean and null. The writer also
 * accepts {@link AttributeValue}s anywhere in the tree and writes them in DynamoDB's typed form, so
 * responses need no intermediate copy of their items.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNestingDepth(2000)
                    .build())
            .build();

    private Json() {}

    /** Thrown for bytes that are not one JSON value. */
    public static final class MalformedJson extends RuntimeException {
        public MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    public static Object parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    public static Object parse(byte[] bytes, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new MalformedJson("empty document");
            Object value = read(p, t);
            if (p.nextToken() != null) throw new MalformedJson("trailing content");
            return value;
        } catch (IOException e) {
            throw new MalformedJson(e.getMessage());
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                ArrayList<Object> list = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) list.add(read(p, v));
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new MalformedJson("unexpected token " + t);
        }
    }

    /** Per-thread output buffers: a response is written into one and copied out once. */
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private static final int KEPT_BUFFER_BYTES = 1024 * 1024;

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(8 * 1024);
        }

        void shrink() {
            if (buf.length > KEPT_BUFFER_BYTES) buf = new byte[8 * 1024];
        }
    }

    public static byte[] write(Object tree) {
        Buffer out = BUFFERS.get();
        out.reset();
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        out.shrink();
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof AttributeValue av) {
            writeValue(g, av);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) write(g, o);
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    private static void writeValue(JsonGenerator g, AttributeValue v) throws IOException {
        g.writeStartObject();
        if (v instanceof AttributeValue.Str s) {
            g.writeStringField("S", s.value());
        } else if (v instanceof AttributeValue.Num n) {
            g.writeStringField("N", n.text());
        } else if (v instanceof AttributeValue.Bin b) {
            g.writeStringField("B", Base64.getEncoder().encodeToString(b.bytes()));
        } else if (v instanceof AttributeValue.Bool b) {
            g.writeBooleanField("BOOL", b.value());
        } else if (v instanceof AttributeValue.Null) {
            g.writeBooleanField("NULL", true);
        } else if (v instanceof AttributeValue.StrSet ss) {
            g.writeArrayFieldStart("SS");
            for (String s : ss.values()) g.writeString(s);
            g.writeEndArray();
        } else if (v instanceof AttributeValue.NumSet ns) {
            g.writeArrayFieldStart("NS");
            for (BigDecimal d : ns.values()) g.writeString(d.toPlainString());
            g.writeEndArray();
        } else if (v instanceof AttributeValue.BinSet bs) {
            g.writeArrayFieldStart("BS");
            for (AttributeValue.Bin b : bs.values())
                g.writeString(Base64.getEncoder().encodeToString(b.bytes()));
            g.writeEndArray();
        } else if (v instanceof AttributeValue.MapValue m) {
            g.writeObjectFieldStart("M");
            for (Map.Entry<String, AttributeValue> e : m.values().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof AttributeValue.ListValue l) {
            g.writeArrayFieldStart("L");
            for (AttributeValue e : l.values()) writeValue(g, e);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Convenience for building response objects in order. */
    public static LinkedHashMap<String, Object> object(Object... keyValues) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static List<Object> list() {
        return new ArrayList<>();
    }
}
