package eduledger.local;

import eduledger.storage.StoreHttpClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What DynamoDB would bill for the calls a client made: write and read request units, from the
 * items the calls carried or returned and the tables' own index definitions, and the storage the
 * written items take. Requests are metered on their way back, so only calls that succeeded count.
 *
 * <p>The rules are DynamoDB's on-demand ones: a write is one unit per KB of the larger of the old
 * and new item (two for a transactional write), and one more per KB of each index entry it puts; an
 * eventually consistent read is half a unit per 4 KB, summed over a Query's items, a strongly
 * consistent one a whole unit. A read is billed by the whole items it reads, however few of their
 * attributes it asks for, so reads are metered by the consumed capacity the store reports for them,
 * which every read here asks for. Every item and index entry is stored with 100 bytes more. An update
 * is counted at its item's size when the meter is read, which for an item that only grows (a
 * feed view) is the largest it was.
 */
final class StoreMeter implements ExecutionInterceptor {
    private static final int OVERHEAD_BYTES = 100;

    /** The table's keys and its global secondary indexes' key attributes and projection. */
    private record TableShape(List<String> keys, List<IndexShape> indexes) {}

    private record IndexShape(List<String> keys, ProjectionType projection, List<String> included) {}

    private record ItemRef(String table, Map<String, AttributeValue> key) {}

    private final Map<String, TableShape> shapes = new HashMap<>();
    private final DynamoDbClient reader;
    private double writeUnits;
    private double readUnits;
    private int transactions;
    private final Map<ItemRef, Map<String, AttributeValue>> written = new HashMap<>();
    private final List<ItemRef> updates = new ArrayList<>();
    private final Set<ItemRef> transactionalUpdates = new HashSet<>();

    private StoreMeter(DynamoDbClient reader) {
        this.reader = reader;
    }

    /** A meter and a client on {@code endpoint} whose every call it meters. */
    static Metered client(URI endpoint) {
        DynamoDbClient reader = client(endpoint, null);
        StoreMeter meter = new StoreMeter(reader);
        return new Metered(meter, client(endpoint, meter));
    }

    record Metered(StoreMeter meter, DynamoDbClient client) {}

    private static DynamoDbClient client(URI endpoint, StoreMeter meter) {
        return DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                // The functions' own HTTP client, so that the invocations timed for GB-seconds make
                // their store calls as in production.
                .httpClient(new StoreHttpClient(UrlConnectionHttpClient.create()))
                .overrideConfiguration(c -> {
                    if (meter != null) {
                        c.addExecutionInterceptor(meter);
                    }
                })
                .build();
    }

    /** What was metered since the last reset; {@code transactions} counts TransactWriteItems calls. */
    record Reading(double writeUnits, double readUnits, long storedBytes, int items, int transactions) {}

    synchronized void reset() {
        writeUnits = 0;
        readUnits = 0;
        transactions = 0;
        written.clear();
        updates.clear();
        transactionalUpdates.clear();
    }

    synchronized Reading read() {
        double units = writeUnits;
        Map<ItemRef, Map<String, AttributeValue>> items = new HashMap<>(written);
        for (ItemRef ref : updates) {
            Map<String, AttributeValue> item = reader.getItem(
                            b -> b.tableName(ref.table()).key(ref.key()).consistentRead(true))
                    .item();
            if (item == null || item.isEmpty()) {
                continue;
            }
            units += itemWriteUnits(ref.table(), item, transactionalUpdates.contains(ref));
            items.put(ref, item);
        }
        long bytes = 0;
        for (var entry : items.entrySet()) {
            bytes += size(entry.getValue()) + OVERHEAD_BYTES;
            for (IndexShape index : shape(entry.getKey().table()).indexes()) {
                if (inIndex(index, entry.getValue())) {
                    bytes += indexEntrySize(entry.getKey().table(), index, entry.getValue()) + OVERHEAD_BYTES;
                }
            }
        }
        return new Reading(units, readUnits, bytes, items.size(), transactions);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof GetItemRequest get) {
            return get.toBuilder()
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build();
        } else if (request instanceof QueryRequest query) {
            return query.toBuilder()
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build();
        } else if (request instanceof BatchGetItemRequest get) {
            return get.toBuilder()
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), context.response());
    }

    private synchronized void record(SdkRequest request, SdkResponse response) {
        if (request instanceof PutItemRequest put) {
            put(put.tableName(), put.item(), false);
        } else if (request instanceof BatchWriteItemRequest batch) {
            batch.requestItems().forEach((table, writes) -> {
                for (WriteRequest write : writes) {
                    if (write.putRequest() != null) {
                        put(table, write.putRequest().item(), false);
                    } else {
                        writeUnits += 1;
                    }
                }
            });
        } else if (request instanceof TransactWriteItemsRequest transaction) {
            transactions++;
            for (TransactWriteItem action : transaction.transactItems()) {
                if (action.put() != null) {
                    put(action.put().tableName(), action.put().item(), true);
                } else if (action.update() != null) {
                    ItemRef ref = new ItemRef(
                            action.update().tableName(), action.update().key());
                    updates.add(ref);
                    transactionalUpdates.add(ref);
                } else {
                    writeUnits += 2; // a condition check or delete of an item under 1 KB
                }
            }
        } else if (request instanceof UpdateItemRequest update) {
            updates.add(new ItemRef(update.tableName(), update.key()));
        } else if (request instanceof DeleteItemRequest) {
            writeUnits += 1;
        } else if (response instanceof GetItemResponse got) {
            readUnits += consumed(got.consumedCapacity());
        } else if (response instanceof QueryResponse answer) {
            readUnits += consumed(answer.consumedCapacity());
        } else if (response instanceof BatchGetItemResponse got) {
            for (ConsumedCapacity capacity : got.consumedCapacity()) {
                readUnits += consumed(capacity);
            }
        }
    }

    private void put(String table, Map<String, AttributeValue> item, boolean transactional) {
        TableShape shape = shape(table);
        Map<String, AttributeValue> key = new HashMap<>();
        shape.keys().forEach(name -> key.put(name, item.get(name)));
        ItemRef ref = new ItemRef(table, key);
        Map<String, AttributeValue> before = written.get(ref);
        long larger = Math.max(size(item), before == null ? 0 : size(before));
        writeUnits += (transactional ? 2 : 1) * units(larger, 1024);
        for (IndexShape index : shape.indexes()) {
            if (inIndex(index, item)) {
                writeUnits += units(indexEntrySize(table, index, item), 1024);
            }
        }
        written.put(ref, item);
    }

    private double itemWriteUnits(String table, Map<String, AttributeValue> item, boolean transactional) {
        double units = (transactional ? 2 : 1) * units(size(item), 1024);
        for (IndexShape index : shape(table).indexes()) {
            if (inIndex(index, item)) {
                units += units(indexEntrySize(table, index, item), 1024);
            }
        }
        return units;
    }

    private static double consumed(ConsumedCapacity capacity) {
        if (capacity == null || capacity.capacityUnits() == null) {
            throw new IllegalStateException("the store reported no consumed capacity for a read that asked for it");
        }
        return capacity.capacityUnits();
    }

    private static long units(long bytes, int unit) {
        return Math.max(1, (bytes + unit - 1) / unit);
    }

    private static boolean inIndex(IndexShape index, Map<String, AttributeValue> item) {
        return index.keys().stream().allMatch(item::containsKey);
    }

    private long indexEntrySize(String table, IndexShape index, Map<String, AttributeValue> item) {
        if (index.projection() == ProjectionType.ALL) {
            return size(item);
        }
        Map<String, AttributeValue> entry = new HashMap<>();
        List<String> names = new ArrayList<>(shape(table).keys());
        names.addAll(index.keys());
        if (index.projection() == ProjectionType.INCLUDE) {
            names.addAll(index.included());
        }
        for (String name : names) {
            if (item.containsKey(name)) {
                entry.put(name, item.get(name));
            }
        }
        return size(entry);
    }

    private TableShape shape(String table) {
        return shapes.computeIfAbsent(table, name -> {
            TableDescription description =
                    reader.describeTable(b -> b.tableName(name)).table();
            List<IndexShape> indexes = new ArrayList<>();
            for (GlobalSecondaryIndexDescription index : description.globalSecondaryIndexes()) {
                indexes.add(new IndexShape(
                        index.keySchema().stream()
                                .map(KeySchemaElement::attributeName)
                                .toList(),
                        index.projection().projectionType(),
                        index.projection().nonKeyAttributes()));
            }
            return new TableShape(
                    description.keySchema().stream()
                            .map(KeySchemaElement::attributeName)
                            .toList(),
                    indexes);
        });
    }

    /** An item's size as DynamoDB counts it: each attribute's name in UTF-8 and its value. */
    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (var attribute : item.entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + size(attribute.getValue());
        }
        return bytes;
    }

    private static long size(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            return numberSize(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasSs()) {
            return value.ss().stream()
                    .mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length)
                    .sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(StoreMeter::numberSize).sum();
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToLong(v -> 1 + size(v)).sum();
        }
        if (value.hasM()) {
            return 3
                    + value.m().entrySet().stream()
                            .mapToLong(e -> 1 + e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue()))
                            .sum();
        }
        return 1;
    }

    /** About one byte per two significant digits, plus one. */
    private static long numberSize(String number) {
        long digits = number.chars().filter(Character::isDigit).count();
        return Math.min(21, (digits + 1) / 2 + 1);
    }
}
