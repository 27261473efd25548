/**
 * DynamoDB's expression language: condition, filter, key-condition, update and projection expressions
 * and the legacy parameters that predate them, parsed once per request into immutable trees that are
 * evaluated per item without further parsing.
 *
 * <p>{@link eduledger.dynamodb.expression.Expressions} is the entry point. A request's
 * ExpressionAttributeNames and ExpressionAttributeValues go into one
 * {@link eduledger.dynamodb.expression.Placeholders}, shared by all of the request's expressions; call
 * {@code validateMaps()} before parsing and {@code checkAllUsed()} after the last expression is parsed.
 * A Query can parse its KeyConditionExpression before it looks the table up
 * ({@code Expressions.parseKeyCondition}) and bind it to the table's or an index's keys afterwards, as
 * DynamoDB refuses a malformed key condition even for a table that does not exist.
 *
 * <p>Errors are {@link eduledger.dynamodb.error.DynamoDbError} ValidationExceptions carrying DynamoDB's
 * wording. When an expression has several faults, the one DynamoDB names is reported: syntax first, then,
 * for conditions, redundant parentheses, unknown functions, misused functions, reserved words and the
 * first faulty comparison or function; for updates, reserved words, unknown functions, repeated clauses,
 * undefined names, undefined values, overlapping and conflicting paths, operand types.
 *
 * <p>Where this differs from DynamoDB: the wording for more than 300 operators and for an IN list of more
 * than 100 operands could not be checked against DynamoDB and may differ; evaluation otherwise follows
 * DynamoDB's documented semantics (comparisons across types are false, a missing attribute is unequal to
 * everything, size() of a string counts UTF-8 bytes, a list index past the end appends on SET and is
 * ignored on REMOVE).
 */
package eduledger.dynamodb.expression;
