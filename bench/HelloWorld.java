// The ceiling for bench/run.sh: a Helidon SE hello-world built from Parlor's own dependencies
// (run with `java -cp 'target/lib/*' bench/HelloWorld.java PORT`).
import io.helidon.webserver.WebServer;

public class HelloWorld {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        .routing(r -> r.get("/hello", (req, res) -> res.send("Hello World")))
        .build()
        .start();
    System.out.println("hello-world ready on " + port);
  }
}
