package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FlagParser;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Evaluates a flag definition the way applications do — the OpenFeature SDK with the flagd provider's
 * in-process evaluator — for a fixed sample of synthetic targeting keys. The keys are the same on every
 * call, so the same definition always yields the same sample.
 *
 * <p>Each call has its own isolated {@link OpenFeatureAPI} and provider, so concurrent reconciles
 * cannot see each other's definitions, and shuts them down afterwards. The flagd provider (0.11) leaves
 * two threads parked for ever on shutdown; the evaluation therefore runs in a thread group of its own,
 * whose remaining threads are interrupted when it is done, so that repeated verifications do not leak
 * threads. (Its event emitter pool is not shut down either, but an idle pool thread ends by itself
 * after a minute.)
 */
public final class FlagSampler {

  /** Keys evaluated per sample; see {@link FlagVerification} for the tolerance this gives. */
  public static final int SAMPLE_SIZE = 2_000;

  static final String TARGETING_KEY_PREFIX = "lockstep-sample-";

  /** How long the provider may take to load the document (the first load also loads flagd's schema). */
  private static final int LOAD_DEADLINE_MS = 5_000;

  /**
   * Evaluates {@code flagKey} in {@code flagdDocument} for every sample key.
   *
   * @throws FlagException when flagd rejects the document
   */
  public VariantSample sample(String flagKey, String flagdDocument) {
    rejectInvalid(flagKey, flagdDocument);
    JsonNode variants = FlagJson.parseObject(flagdDocument, "flagd document")
        .path("flags").path(flagKey).path("variants");
    ThreadGroup group = newThreadGroup();
    FutureTask<VariantSample> task = new FutureTask<>(() -> evaluate(flagKey, flagdDocument, variants));
    Thread worker = new Thread(group, task, "lockstep-flag-sample-" + flagKey);
    worker.setDaemon(true);
    worker.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlagException("interrupted while evaluating flag " + flagKey, e);
    } catch (ExecutionException e) {
      throw new FlagException("flag " + flagKey + " could not be evaluated: " + e.getCause().getMessage(),
          e.getCause());
    } finally {
      group.interrupt();
    }
  }

  /**
   * A group that Java 17 drops from its parent once its last thread has ended; without the daemon flag it
   * would stay listed there for ever. (From Java 19 groups are dropped anyway and the flag is ignored.)
   */
  @SuppressWarnings("removal")
  private static ThreadGroup newThreadGroup() {
    ThreadGroup group = new ThreadGroup("lockstep-flag-sample");
    group.setDaemon(true);
    return group;
  }

  private VariantSample evaluate(String flagKey, String document, JsonNode variants) throws Exception {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    try {
      api.setProviderAndWait(new FlagdProvider(FlagdOptions.builder()
          .resolverType(Config.Resolver.IN_PROCESS)
          .customConnector(new OneDocumentSource(document))
          .deadline(LOAD_DEADLINE_MS)
          .build()));
      Function<EvaluationContext, FlagEvaluationDetails<?>> evaluation =
          typedEvaluation(api.getClient(), flagKey, variants);
      Map<String, Integer> counts = new HashMap<>();
      int errors = 0;
      String firstError = null;
      for (int i = 0; i < SAMPLE_SIZE; i++) {
        FlagEvaluationDetails<?> details = evaluation.apply(new ImmutableContext(TARGETING_KEY_PREFIX + i));
        if (details.getErrorCode() != null) {
          errors++;
          firstError = firstError != null ? firstError : details.getErrorCode() + " " + details.getErrorMessage();
        } else {
          counts.merge(details.getVariant(), 1, Integer::sum);
        }
      }
      return new VariantSample(SAMPLE_SIZE, counts, errors, firstError);
    } finally {
      api.shutdown();
    }
  }

  /**
   * The typed call an application would make for these variant values, so that a value of the wrong
   * type shows up as an evaluation error, as it would in the application.
   */
  private static Function<EvaluationContext, FlagEvaluationDetails<?>> typedEvaluation(
      Client client, String key, JsonNode variants) {
    if (allVariants(variants, JsonNode::isBoolean)) {
      return context -> client.getBooleanDetails(key, false, context);
    }
    if (allVariants(variants, JsonNode::isTextual)) {
      return context -> client.getStringDetails(key, "", context);
    }
    if (allVariants(variants, v -> v.isIntegralNumber() && v.canConvertToInt())) {
      return context -> client.getIntegerDetails(key, 0, context);
    }
    if (allVariants(variants, JsonNode::isNumber)) {
      return context -> client.getDoubleDetails(key, 0.0, context);
    }
    return context -> client.getObjectDetails(key, new Value(), context);
  }

  private static boolean allVariants(JsonNode variants, Predicate<JsonNode> test) {
    if (!variants.isObject() || variants.isEmpty()) {
      return false;
    }
    for (JsonNode value : variants) {
      if (!test.test(value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * flagd's own parser, as lenient as in the application (schema findings are warnings there too): a
   * document it cannot parse gets a clear message now, instead of a provider that never becomes ready.
   */
  private static void rejectInvalid(String flagKey, String document) {
    try {
      FlagParser.parseString(document, false);
    } catch (IllegalArgumentException | IOException e) {
      throw new FlagException("flagd rejects the definition of flag " + flagKey + ": " + e.getMessage());
    }
  }
}
