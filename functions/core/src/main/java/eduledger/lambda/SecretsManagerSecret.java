package eduledger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Reads a secret's string from AWS Secrets Manager with one SigV4-signed {@code GetSecretValue}
 * call over the HTTP client the DynamoDB client already loads. No Secrets Manager SDK client: its
 * classes and endpoint rules would add to every cold start for a call made once per container
 * (and once per SnapStart restore), and no Lambda layer either, so a function reads its secret
 * during init, before the snapshot, with nothing else running.
 */
final class SecretsManagerSecret {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    SecretsManagerSecret(Settings settings) {
        this.region = settings.region();
        this.endpoint = settings.secretsManagerEndpoint()
                .orElseGet(() -> URI.create("https://secretsmanager." + region + ".amazonaws.com"));
        // A stand-in endpoint (tests) takes any credentials, as the local DynamoDB endpoint does.
        this.credentials = settings.secretsManagerEndpoint().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(TIMEOUT)
                .socketTimeout(TIMEOUT)
                .build();
    }

    /** The current version's {@code SecretString}; an {@link IllegalStateException} says why not. */
    String read(String secretId) {
        byte[] body = Json.write(Json.object().put("SecretId", secretId)).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response;
        String answer;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder()
                            .request(signed.request())
                            .contentStreamProvider(signed.payload().orElse(null))
                            .build())
                    .call();
            try (InputStream in = response.responseBody().orElse(null)) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading secret " + secretId + " from " + endpoint + " failed: " + e, e);
        }
        int status = response.httpResponse().statusCode();
        JsonNode json;
        try {
            json = Json.read(answer);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "secret " + secretId + ": HTTP " + status + " with a body that is not JSON");
        }
        if (status != 200) {
            // Secrets Manager's error: {"__type": "ResourceNotFoundException", "Message": ...}
            throw new IllegalStateException("secret " + secretId + ": HTTP " + status + " "
                    + json.path("__type").asText("") + " "
                    + json.path("Message").asText(json.path("message").asText("")));
        }
        JsonNode value = json.path("SecretString");
        if (!value.isTextual()) {
            throw new IllegalStateException("secret " + secretId + " has no SecretString");
        }
        return value.asText();
    }
}
