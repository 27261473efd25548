package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import com.networknt.schema.serialization.JsonNodeReader;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema handling for audit schemas: checking a definition against its meta-schema, compiling
 * it, and validating event data. Everything is offline: meta-schemas come from the validator's jar
 * and any other {@code $ref} outside the schema itself is refused, never fetched.
 * Compiled schemas are cached per container by version id, so each version compiles once, up to
 * {@link #MAX_CACHED_BYTES} of definitions.
 */
public final class JsonSchemas {
    private static final Map<String, VersionFlag> DIALECTS = Map.of(
            "https://json-schema.org/draft/2020-12/schema", VersionFlag.V202012,
            "https://json-schema.org/draft/2019-09/schema", VersionFlag.V201909,
            "http://json-schema.org/draft-07/schema", VersionFlag.V7,
            "http://json-schema.org/draft-06/schema", VersionFlag.V6,
            "http://json-schema.org/draft-04/schema", VersionFlag.V4);
    private static final int MAX_CACHED = 1_000;
    /**
     * Definition bytes the cache holds at most. A compiled schema takes about 25 times its
     * definition's size once validation has reached all of it, so a count alone would let a
     * container fill 1,000 entries of 64 KiB definitions: over a gigabyte.
     */
    static final long MAX_CACHED_BYTES = 4L << 20;

    private static final java.util.regex.Pattern PLAIN_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    /** Longer patterns are refused: nothing an audit schema needs, and compile time grows with them. */
    static final int MAX_PATTERN_LENGTH = 1_000;
    /** Violations listed per event; the rest are counted in one closing entry, so an answer stays small. */
    public static final int MAX_VIOLATIONS = 100;
    /** A violation's message is cut here: it may quote names of any length from the schema. */
    static final int MAX_MESSAGE_LENGTH = 500;
    /** The code of the entry that counts the violations not listed. */
    public static final String MORE_VIOLATIONS = "MORE_VIOLATIONS";
    /**
     * The code of the one entry of a validation that spent its budget ({@link ValidationBudget}): its
     * outcome is unknown, so the event is refused whatever the schema's level.
     */
    public static final String TOO_COSTLY = "VALIDATION_TOO_COSTLY";

    private final Map<VersionFlag, JsonSchemaFactory> factories = new EnumMap<>(VersionFlag.class);
    private final Map<VersionFlag, JsonSchema> metaSchemas = new EnumMap<>(VersionFlag.class);
    private final ConcurrentHashMap<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong cachedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            // JSON Pointer, not JSONPath: the validator's JSONPath writer throws on an empty property
            // name, which any event or schema can contain. Paths are rendered as JSONPath by location().
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            // A reference is compiled afresh each time it is followed, for this validation only: cached,
            // each new path through a recursive schema would stay in the container for good.
            .cacheRefs(false)
            .regularExpressionFactory(new ValidationBudget())
            .build();

    private static final JsonNodeReader META_SCHEMA_READER = new JsonNodeReader() {
        @Override
        public JsonNode readTree(String content, InputFormat format) throws IOException {
            onlyJson(format);
            return Json.read(content);
        }

        @Override
        public JsonNode readTree(InputStream content, InputFormat format) throws IOException {
            onlyJson(format);
            return Json.read(content);
        }
    };

    private static void onlyJson(InputFormat format) {
        if (format != InputFormat.JSON) {
            throw new JsonSchemaException("only JSON schemas are loaded, not " + format);
        }
    }

    private synchronized JsonSchemaFactory factory(VersionFlag dialect) {
        return factories.computeIfAbsent(
                dialect,
                flag -> JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(flag))
                        // The meta-schemas it loads from its jar are parsed as every document is,
                        // rather than with a data-binding mapper of its own, costly to build.
                        .jsonNodeReader(META_SCHEMA_READER)
                        .schemaLoaders(loaders -> loaders.values(list -> list.add(
                                0, new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))))
                        .metaSchema(JsonMetaSchema.builder(defaultMetaSchema(flag))
                                .keywords(BoundedKeywords::replace)
                                .vocabularyFactory(BoundedKeywords::vocabulary)
                                .formatKeywordFactory(BoundedFormat::new)
                                .build())
                        .build());
    }

    private static JsonMetaSchema defaultMetaSchema(VersionFlag dialect) {
        return switch (dialect) {
            case V4 -> JsonMetaSchema.getV4();
            case V6 -> JsonMetaSchema.getV6();
            case V7 -> JsonMetaSchema.getV7();
            case V201909 -> JsonMetaSchema.getV201909();
            case V202012 -> JsonMetaSchema.getV202012();
        };
    }

    private synchronized JsonSchema metaSchema(VersionFlag dialect) {
        return metaSchemas.computeIfAbsent(
                dialect, flag -> factory(flag).getSchema(SchemaLocation.of(flag.getId()), config));
    }

    /** Every reason {@code definition} is not a usable JSON Schema, each with its path under {@code $.data}. */
    public List<ErrorDetail> check(JsonNode definition) {
        VersionFlag dialect = dialect(definition);
        if (dialect == null) {
            return List.of(new ErrorDetail(
                    "INVALID_SCHEMA",
                    "data.$schema must name a JSON Schema draft: "
                            + String.join(
                                    ", ", DIALECTS.keySet().stream().sorted().toList()) + ".",
                    "$.data.$schema"));
        }
        List<ErrorDetail> problems = new ArrayList<>();
        checkPatterns(definition, "$.data", problems);
        String cycle = RefCycles.find(definition);
        if (cycle != null) {
            problems.add(new ErrorDetail(
                    "INVALID_SCHEMA",
                    "data refers back to " + cycle + " through $ref without"
                            + " descending into the event, so validating any event would never end.",
                    "$.data"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        List<ValidationMessage> invalid = sorted(metaSchema(dialect).validate(definition));
        for (ValidationMessage message : invalid.subList(0, Math.min(MAX_VIOLATIONS, invalid.size()))) {
            problems.add(new ErrorDetail(
                    "INVALID_SCHEMA",
                    "data is not a valid JSON Schema: " + cut(relocate(text(message))),
                    cut(relocate(location(message)))));
        }
        if (invalid.size() > MAX_VIOLATIONS) {
            problems.add(new ErrorDetail(
                    MORE_VIOLATIONS, (invalid.size() - MAX_VIOLATIONS) + " more problems are not listed.", "$.data"));
        }
        if (problems.isEmpty()) {
            try {
                compile(dialect, definition);
            } catch (JsonSchemaException | IllegalArgumentException e) {
                problems.add(new ErrorDetail("INVALID_SCHEMA", "data cannot be compiled: " + e.getMessage(), "$.data"));
            } catch (RuntimeException e) {
                problems.add(new ErrorDetail(
                        "INVALID_SCHEMA",
                        "data cannot be compiled (" + e.getClass().getSimpleName()
                                + "); $ref may only point inside the schema.",
                        "$.data"));
            }
        }
        return problems;
    }

    /** The compiled schema of one version, compiled on first use and kept for the container's life. */
    public JsonSchema compiled(AuditSchema schema) {
        JsonSchema cached = compiled.get(schema.version());
        if (cached != null) {
            return cached;
        }
        long bytes = Json.write(schema.data()).length();
        synchronized (compiled) {
            if (compiled.size() >= MAX_CACHED || cachedBytes.get() + bytes > MAX_CACHED_BYTES) {
                compiled.clear();
                cachedBytes.set(0);
            }
            cachedBytes.addAndGet(bytes);
        }
        // Stored definitions passed check(), so their dialect is known.
        JsonSchema fresh = compile(dialect(schema.data()), schema.data());
        compiled.put(schema.version(), fresh);
        return fresh;
    }

    /** The definition characters of the compiled schemas kept now. */
    long cachedDefinitionBytes() {
        return cachedBytes.get();
    }

    /** The draft {@code definition} declares in {@code $schema} (2020-12 when it declares none); null when unknown. */
    private static VersionFlag dialect(JsonNode definition) {
        JsonNode declared = definition.get("$schema");
        if (declared == null) {
            return VersionFlag.V202012;
        }
        return declared.isTextual() ? DIALECTS.get(declared.asText().replaceAll("#$", "")) : null;
    }

    /**
     * The violations of {@code schema} by {@code instance}, paths relative to {@code $} of the
     * instance: at most {@link #MAX_VIOLATIONS}, then one {@link #MORE_VIOLATIONS} entry counting the rest.
     */
    public List<ErrorDetail> validate(JsonSchema schema, JsonNode instance) {
        return validate(schema, instance, MAX_VIOLATIONS);
    }

    /** As {@link #validate(JsonSchema, JsonNode)}, listing at most {@code limit} violations. */
    public List<ErrorDetail> validate(JsonSchema schema, JsonNode instance, int limit) {
        Set<ValidationMessage> messages;
        boolean tooCostly;
        ValidationBudget.start(characters(instance));
        try {
            messages = schema.validate(instance);
        } catch (ValidationBudget.Spent spent) {
            messages = Set.of();
        } catch (StackOverflowError tooDeep) {
            // A schema stored before cycles were refused at definition time: the event cannot be checked.
            return List.of(new ErrorDetail(
                    "SCHEMA_VIOLATION",
                    "The schema recurses without end, so the data could not be validated; patch the schema.",
                    "$"));
        } finally {
            tooCostly = ValidationBudget.end();
        }
        if (tooCostly) {
            return List.of(new ErrorDetail(
                    TOO_COSTLY,
                    "Checking the data against the schema took more than the "
                            + ValidationBudget.BASE_STEPS + " steps plus " + ValidationBudget.STEPS_PER_CHARACTER
                            + " per character of the data's text and per value that validation may take; simplify the schema's"
                            + " patterns (no repeated alternatives that can match the same text) and references"
                            + " (no branches that each refer back), or send less.",
                    "$"));
        }
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ValidationMessage> ordered = sorted(messages);
        List<ErrorDetail> violations = new ArrayList<>();
        for (ValidationMessage message : ordered.subList(0, Math.min(Math.max(limit, 0), ordered.size()))) {
            violations.add(new ErrorDetail("SCHEMA_VIOLATION", cut(text(message)), cut(location(message))));
        }
        if (ordered.size() > violations.size()) {
            violations.add(moreViolations(ordered.size() - violations.size()));
        }
        return violations;
    }

    /** The characters of a value's strings and member names, and one per value: what its validation may spend steps on. */
    static long characters(JsonNode node) {
        long characters = 0;
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            JsonNode next = pending.pop();
            characters++;
            if (next.isTextual()) {
                characters += next.textValue().length();
            } else if (next.isObject()) {
                for (var it = next.fields(); it.hasNext(); ) {
                    var member = it.next();
                    characters += member.getKey().length();
                    pending.push(member.getValue());
                }
            } else if (next.isArray()) {
                next.forEach(pending::push);
            }
        }
        return characters;
    }

    /** The closing entry of a cut list: how many violations it leaves out. */
    public static ErrorDetail moreViolations(int count) {
        return new ErrorDetail(
                MORE_VIOLATIONS,
                count + " more violation" + (count == 1 ? " is" : "s are") + " not listed; at most " + MAX_VIOLATIONS
                        + " are listed per event and per request.",
                "$");
    }

    private static String cut(String text) {
        return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }

    /**
     * Refuses the regular expressions that could make validating an event take exponential time
     * (see {@link RegexRisk}) or that are needlessly long, wherever a schema keyword holds one.
     */
    private static void checkPatterns(JsonNode node, String path, List<ErrorDetail> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkPatterns(node.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        node.fields().forEachRemaining(field -> {
            String at = path + "." + field.getKey();
            if (field.getKey().equals("pattern") && field.getValue().isTextual()) {
                checkPattern(field.getValue().asText(), at, problems);
            } else if (field.getKey().equals("patternProperties")
                    && field.getValue().isObject()) {
                field.getValue().fieldNames().forEachRemaining(name -> checkPattern(name, at, problems));
            }
            checkPatterns(field.getValue(), at, problems);
        });
    }

    private static void checkPattern(String pattern, String at, List<ErrorDetail> problems) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            problems.add(new ErrorDetail(
                    "INVALID_SCHEMA",
                    "A pattern is at most " + MAX_PATTERN_LENGTH + " characters; this one has " + pattern.length()
                            + ".",
                    at));
        } else if (RegexRisk.nestsRepetition(pattern)) {
            problems.add(new ErrorDetail(
                    "INVALID_SCHEMA",
                    "The pattern " + pattern + " repeats a group that itself"
                            + " repeats (like (a+)+), which can take exponential time; use a single repetition, e.g. a+.",
                    at));
        }
    }

    private JsonSchema compile(VersionFlag dialect, JsonNode definition) {
        JsonSchema schema = factory(dialect).getSchema(definition, config);
        schema.initializeValidators();
        return schema;
    }

    private static List<ValidationMessage> sorted(Set<ValidationMessage> messages) {
        return messages.stream()
                .sorted(Comparator.comparing(JsonSchemas::location).thenComparing(JsonSchemas::text))
                .toList();
    }

    /**
     * Where a message points, as a JSONPath; names that are not plain identifiers are bracketed.
     */
    private static String location(ValidationMessage message) {
        JsonNodePath path = message.getInstanceLocation();
        StringBuilder text = new StringBuilder("$");
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Number index) {
                text.append('[').append(index).append(']');
            } else if (element != null && PLAIN_NAME.matcher(element.toString()).matches()) {
                text.append('.').append(element);
            } else {
                text.append("['")
                        .append(String.valueOf(element).replace("\\", "\\\\").replace("'", "\\'"))
                        .append("']");
            }
        }
        return text.toString();
    }

    /** The message with its JSONPath location in front, in place of the validator's pointer. */
    private static String text(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        String full = message.getMessage();
        String error = full.startsWith(pointer + ": ") ? full.substring(pointer.length() + 2) : full;
        return location(message) + ": " + error;
    }

    /** Meta-schema messages speak of the definition as {@code $}; the caller sent it as {@code $.data}. */
    private static String relocate(String text) {
        return text.startsWith("$") ? "$.data" + text.substring(1) : text;
    }
}
