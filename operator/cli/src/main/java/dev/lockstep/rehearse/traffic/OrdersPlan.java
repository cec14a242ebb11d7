package dev.lockstep.rehearse.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Traffic for the sample application (examples/orders-app): in every four requests, one creates an
 * order, one reads back an order this traffic wrote, one changes the amount of one, and one reads an
 * order that was there before (the 1,000 seeded ones). Every answer is checked: a read must give the
 * amount last acknowledged, whichever column the application read it from.
 */
public final class OrdersPlan implements TrafficPlan {

  static final int PORT = 8080;
  private static final int SEEDED_ORDERS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Random random = new Random(42);
  private final OrderLedger ledger = new OrderLedger(new Random(7));
  private final Duration timeout;
  private final int port;

  public OrdersPlan(Duration timeout) {
    this(timeout, PORT);
  }

  OrdersPlan(Duration timeout, int port) {
    this.timeout = timeout;
    this.port = port;
  }

  @Override
  public String description() {
    return "orders sample app: create, read back, update, read a seeded order";
  }

  @Override
  public synchronized PlannedRequest next(long sequence, String podIp) {
    int kind = (int) (sequence % 4);
    if (kind == 1 || kind == 2) {
      OrderLedger.Order order = ledger.borrow();
      if (order != null) {
        return kind == 1 ? read(podIp, order) : update(podIp, order);
      }
    }
    // Until there is an order of its own to read or change, the traffic writes one.
    return kind == 3 ? readSeeded(podIp) : create(podIp, sequence);
  }

  private PlannedRequest create(String podIp, long sequence) {
    BigDecimal amount = amount();
    String body = "{\"customer\": \"traffic-" + sequence + "\", \"total\": \"" + amount.toPlainString() + "\"}";
    HttpRequest request = request(podIp, "/orders").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return new PlannedRequest(Operation.CREATE, request, new PlannedRequest.Judge() {
      @Override
      public FailureKind answered(int status, String answer) {
        if (status != 201) {
          return byStatus(status);
        }
        JsonNode id = parse(answer).path("id");
        if (!id.canConvertToLong()) {
          return FailureKind.WRONG_ANSWER;
        }
        ledger.created(id.asLong(), amount);
        return null;
      }

      @Override
      public void unanswered() {
        // Not acknowledged: the order may exist, but nobody was told so; it is not checked.
      }
    });
  }

  private PlannedRequest read(String podIp, OrderLedger.Order order) {
    HttpRequest request = request(podIp, "/orders/" + order.id).GET().build();
    return new PlannedRequest(Operation.READ, request, new PlannedRequest.Judge() {
      @Override
      public FailureKind answered(int status, String answer) {
        try {
          if (status != 200) {
            return byStatus(status);
          }
          return amountOf(answer) != null && order.accepts(amountOf(answer)) ? null : FailureKind.WRONG_ANSWER;
        } finally {
          ledger.giveBack(order);
        }
      }

      @Override
      public void unanswered() {
        ledger.giveBack(order);
      }
    });
  }

  private PlannedRequest update(String podIp, OrderLedger.Order order) {
    BigDecimal amount = amount();
    String body = "{\"total\": \"" + amount.toPlainString() + "\"}";
    HttpRequest request = request(podIp, "/orders/" + order.id).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    return new PlannedRequest(Operation.UPDATE, request, new PlannedRequest.Judge() {
      @Override
      public FailureKind answered(int status, String answer) {
        try {
          if (status == 200) {
            ledger.updated(order, amount);
            return null;
          }
          ledger.maybeUpdated(order, amount);
          return byStatus(status);
        } finally {
          ledger.giveBack(order);
        }
      }

      @Override
      public void unanswered() {
        ledger.maybeUpdated(order, amount);
        ledger.giveBack(order);
      }
    });
  }

  private PlannedRequest readSeeded(String podIp) {
    int id = 1 + random.nextInt(SEEDED_ORDERS);
    HttpRequest request = request(podIp, "/orders/" + id).GET().build();
    return new PlannedRequest(Operation.READ_EXISTING, request, new PlannedRequest.Judge() {
      @Override
      public FailureKind answered(int status, String answer) {
        if (status != 200) {
          return byStatus(status);
        }
        return amountOf(answer) == null ? FailureKind.WRONG_ANSWER : null;
      }

      @Override
      public void unanswered() {}
    });
  }

  @Override
  public WriteCheck verifyWrites(List<String> podIps) throws InterruptedException {
    List<OrderLedger.Order> orders = ledger.all();
    long acknowledged = ledger.acknowledgedWrites();
    if (podIps.isEmpty()) {
      return new WriteCheck(acknowledged, orders.size(), 0, 0, orders.size(), true);
    }
    long lost = 0;
    long wrong = 0;
    long unverified = 0;
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    int i = 0;
    for (OrderLedger.Order order : orders) {
      String pod = podIps.get(i++ % podIps.size());
      try {
        HttpResponse<String> answer = client.send(request(pod, "/orders/" + order.id).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 404) {
          lost++;
        } else if (answer.statusCode() != 200) {
          unverified++;
        } else if (amountOf(answer.body()) == null || !order.accepts(amountOf(answer.body()))) {
          wrong++;
        }
      } catch (IOException e) {
        unverified++;
      }
    }
    return new WriteCheck(acknowledged, orders.size(), lost, wrong, unverified, true);
  }

  private BigDecimal amount() {
    return BigDecimal.valueOf(1 + random.nextInt(99_999), 2);
  }

  private HttpRequest.Builder request(String podIp, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + port + path)).timeout(timeout)
        .header("Content-Type", "application/json");
  }

  static FailureKind byStatus(int status) {
    return status >= 500 ? FailureKind.SERVER_ERROR : FailureKind.UNEXPECTED_STATUS;
  }

  private static BigDecimal amountOf(String answer) {
    JsonNode total = parse(answer).path("total");
    try {
      return total.isMissingNode() || total.isNull() ? null : new BigDecimal(total.asText());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }
}
