package eduledger.harness;

import java.net.URI;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack's DynamoDB in a container; compiled only with -Plocalstack, where a Docker engine exists. */
public final class LocalStackStore {
    private LocalStackStore() {}

    public static URI start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                .withServices(LocalStackContainer.Service.DYNAMODB);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getEndpointOverride(LocalStackContainer.Service.DYNAMODB);
    }
}
