package dev.lockstep.examples.orders;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;

/**
 * The two flags that move the application from {@code total} to {@code total_cents}, evaluated
 * through OpenFeature with the flagd provider. Each request is evaluated with a targeting key, so that
 * a percent rollout splits requests (and keeps a given key on the same side).
 *
 * <p>Both flags default to {@code false} in code: when the flags cannot be read, the application
 * behaves as it did before the migration, which every version up to the contract supports.
 */
public final class OrderFlags implements AutoCloseable {

  /** On: new orders also get {@code total_cents}. */
  public static final String DUAL_WRITE = "orders-cents-dual-write";
  /** On: amounts are read from {@code total_cents} instead of {@code total}. */
  public static final String READ_CENTS = "orders-cents-read";

  /** How long startup waits for the flags to load (the first load also compiles flagd's JSON schema). */
  private static final int FILE_LOAD_DEADLINE_MS = 5_000;

  private final OpenFeatureAPI api;
  private final Client client;

  private OrderFlags(OpenFeatureAPI api) {
    this.api = api;
    this.client = api.getClient();
  }

  /**
   * Connects to the flags and waits until they are loaded; if they cannot be, the application starts
   * anyway on the code defaults, and picks the flags up if the provider recovers (a sidecar that comes
   * up later).
   */
  public static OrderFlags connect(FlagSourceConfig source, AppLog log) {
    // An API instance of its own rather than the global one: several instances of the application can
    // then share a JVM (the test world runs each pod in-process) without sharing their flags.
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    // A provider that cannot even be built is a configuration error: the application does not start.
    FlagdProvider provider = new FlagdProvider(options(source));
    try {
      api.setProviderAndWait(provider);
      log.info("flags loaded from " + source);
    } catch (RuntimeException e) {
      // The provider stays set, and serves the flags once it can load them.
      log.warn("flags not loaded from " + source + " (" + e.getMessage() + "); using the code defaults until they are");
    }
    return new OrderFlags(api);
  }

  private static FlagdOptions options(FlagSourceConfig source) {
    // Every option is set here, from the application's configuration: left unset, the provider would
    // read the JVM's environment, which is not the container's when the app runs in the test world.
    if (source.resolver() == FlagSourceConfig.Resolver.FILE) {
      return FlagdOptions.builder()
          .resolverType(Config.Resolver.FILE)
          .offlineFlagSourcePath(source.file().toString())
          .offlinePollIntervalMs((int) source.pollInterval().toMillis())
          .deadline(FILE_LOAD_DEADLINE_MS)
          .build();
    }
    return FlagdOptions.builder()
        .resolverType(Config.Resolver.RPC)
        .host(source.host())
        .port(source.port())
        .build();
  }

  /** Whether this request's new order also gets {@code total_cents}. */
  public boolean dualWrite(String targetingKey) {
    return client.getBooleanValue(DUAL_WRITE, false, new ImmutableContext(targetingKey));
  }

  /** Whether this request reads the amount from {@code total_cents}. */
  public boolean readCents(String targetingKey) {
    return client.getBooleanValue(READ_CENTS, false, new ImmutableContext(targetingKey));
  }

  /**
   * What {@code flag} gives across all traffic. flagd answers {@code STATIC} when a flag has no
   * targeting rule, so that its default variant goes to every request; a flag it cannot find (absent,
   * or disabled), or a provider that has no flags to give, gives every request the code default.
   * Anything else — a rule, or an error that may depend on the request — may differ from one request to
   * the next.
   */
  public FlagSpread spread(String flag) {
    FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(flag, false, new ImmutableContext());
    ErrorCode error = details.getErrorCode();
    boolean everywhere = error == null
        ? Reason.STATIC.name().equals(details.getReason())
        : error == ErrorCode.FLAG_NOT_FOUND || error == ErrorCode.PROVIDER_NOT_READY
            || error == ErrorCode.PROVIDER_FATAL;
    if (!everywhere) {
      return FlagSpread.VARIES;
    }
    return Boolean.TRUE.equals(details.getValue()) ? FlagSpread.ON_EVERYWHERE : FlagSpread.OFF_EVERYWHERE;
  }

  /** The versions the application supports with the flags as they are now. */
  public SchemaRange supportedVersions() {
    return OrdersSchema.supported(spread(DUAL_WRITE), spread(READ_CENTS));
  }

  @Override
  public void close() {
    api.shutdown();
  }
}
