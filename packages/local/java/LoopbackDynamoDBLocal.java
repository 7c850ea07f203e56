import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 only.
 *
 * DynamoDB Local has no bind-address option and listens on every interface. This launcher
 * builds the server from the usual command-line arguments, sets the host of its Jetty
 * connector to the loopback address before it starts, and exits when its standard input
 * closes, so the JVM never outlives the Node process that started it (even after a SIGKILL).
 *
 * Run with Java's single-file source launcher (no compile step):
 *   java -cp "DynamoDBLocal.jar:DynamoDBLocal_lib/*" LoopbackDynamoDBLocal.java -port 8000 -sharedDb ...
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) serverConnector.setHost("127.0.0.1");
    }
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) { /* the parent never writes; EOF means it is gone */ }
      } catch (Exception ignored) {
      }
      Runtime.getRuntime().halt(0);
    });
    parentWatch.setDaemon(true);
    parentWatch.start();
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1");
    proxy.join();
  }
}
