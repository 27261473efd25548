// The loads of `./eduledger bench engine` through the AWS SDK for JavaScript v3: PutItem, GetItem,
// a Query returning 100 items, a TransactWriteItems of 10 puts, and 8 such Queries at once.
// One JSON line per figure on stdout (p50 and p99 in ms, throughput in operations per second).
//
//   ./eduledger dynamodb --port 8000 &
//   cd local/dynamodb/bench && npm install && node bench.mjs http://127.0.0.1:8000
//
// The endpoint is the first argument, else $DYNAMODB_ENDPOINT, else http://127.0.0.1:8000.
// WARM_UP and SAMPLES (environment) size each load; the defaults match the Java bench.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";

const endpoint = process.argv[2] ?? process.env.DYNAMODB_ENDPOINT ?? "http://127.0.0.1:8000";
const warmUp = Number(process.env.WARM_UP ?? 500);
const samples = Number(process.env.SAMPLES ?? 2000);
const QUERY_ITEMS = 100;
const TRANSACTION_PUTS = 10;
const CONCURRENT_QUERIES = 8;

const client = new DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
const table = `EngineBench-${randomUUID()}`;
// About the size of an audit event item, as in the Java bench.
const payload = "x".repeat(400);

const key = (pk, sk) => ({ pk: { S: pk }, sk: { S: String(sk).padStart(4, "0") } });
const item = (pk, sk) => ({ ...key(pk, sk), payload: { S: payload }, n: { N: String(sk) } });

async function query() {
  const response = await client.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": { S: "query" } },
  }));
  if (response.Count !== QUERY_ITEMS) {
    throw new Error(`the bench query found ${response.Count} items, not ${QUERY_ITEMS}`);
  }
}

const loads = [
  ["put", 1, (n) => client.send(new PutItemCommand({ TableName: table, Item: item(`put-${n}`, 0) }))],
  ["get", 1, (n) => client.send(new GetItemCommand({ TableName: table, Key: key(`put-${n}`, 0) }))],
  [`query${QUERY_ITEMS}`, 1, () => query()],
  [`transaction${TRANSACTION_PUTS}`, 1, (n) => client.send(new TransactWriteItemsCommand({
    TransactItems: Array.from({ length: TRANSACTION_PUTS }, (_, i) => ({
      Put: { TableName: table, Item: item(`transaction-${n}`, i) },
    })),
  }))],
  [`query${QUERY_ITEMS}x${CONCURRENT_QUERIES}`, CONCURRENT_QUERIES,
    () => Promise.all(Array.from({ length: CONCURRENT_QUERIES }, () => query()))],
];

function percentile(sorted, p) {
  const index = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
}

function print(name, unit, value) {
  console.log(JSON.stringify({ name, unit, value: Number(value.toFixed(3)), samples }));
}

async function main() {
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  }));
  while ((await client.send(new DescribeTableCommand({ TableName: table }))).Table.TableStatus !== "ACTIVE") {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let i = 0; i < QUERY_ITEMS; i++) {
    await client.send(new PutItemCommand({ TableName: table, Item: item("query", i) }));
  }
  try {
    // Every load is warmed before any is timed, as in the Java bench.
    for (const [, , run] of loads) {
      for (let n = 0; n < warmUp; n++) {
        await run(-1 - n);
      }
    }
    for (const [name, operationsPerRun, run] of loads) {
      const millis = new Array(samples);
      let total = 0n;
      for (let n = 0; n < samples; n++) {
        const start = process.hrtime.bigint();
        await run(n);
        const elapsed = process.hrtime.bigint() - start;
        total += elapsed;
        millis[n] = Number(elapsed) / 1e6;
      }
      millis.sort((a, b) => a - b);
      print(`engine.${name}.p50`, "ms", percentile(millis, 50));
      print(`engine.${name}.p99`, "ms", percentile(millis, 99));
      print(`engine.${name}.throughput`, "ops/s", (samples * operationsPerRun) / (Number(total) / 1e9));
    }
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
    client.destroy();
  }
}

await main();
