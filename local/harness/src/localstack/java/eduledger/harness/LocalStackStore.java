package eduledger.harness;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;

/** LocalStack's DynamoDB in a container; compiled only with -Plocalstack, where a Docker engine exists. */
public final class LocalStackStore {
    private LocalStackStore() {
    }

    public static URI start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                .withServices(LocalStackContainer.Service.DYNAMODB);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getEndpointOverride(LocalStackContainer.Service.DYNAMODB);
    }
}
