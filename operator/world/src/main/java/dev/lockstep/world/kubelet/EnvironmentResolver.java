package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment the way the kubelet does: {@code envFrom} first, then {@code
 * env} in order, with {@code $(VAR)} references expanded against what is defined so far; values
 * from Secrets ({@code data} and {@code stringData}), ConfigMaps and the pod's own fields.
 */
final class EnvironmentResolver {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final Pattern FIELD_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final KubernetesClient client;

  EnvironmentResolver(KubernetesClient client) {
    this.client = client;
  }

  Map<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source : nullToEmpty(container.getEnvFrom())) {
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      if (source.getSecretRef() != null) {
        Secret secret = secret(namespace, source.getSecretRef().getName(), source.getSecretRef().getOptional());
        if (secret != null) {
          secretValues(secret).forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (source.getConfigMapRef() != null) {
        ConfigMap configMap =
            configMap(namespace, source.getConfigMapRef().getName(), source.getConfigMapRef().getOptional());
        if (configMap != null && configMap.getData() != null) {
          configMap.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (EnvVar variable : nullToEmpty(container.getEnv())) {
      String value =
          variable.getValueFrom() == null
              ? expand(variable.getValue() == null ? "" : variable.getValue(), env::get)
              : valueFrom(pod, variable.getValueFrom());
      if (value != null) {
        env.put(variable.getName(), value);
      }
    }
    return env;
  }

  /**
   * Expands {@code $(NAME)} with defined variables, leaves undefined references as they are, and
   * turns {@code $$} into {@code $}: Kubernetes' rules for env values, command and args.
   */
  static String expand(String text, Function<String, String> variables) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group().equals("$$")) {
        replacement = "$";
      } else {
        String value = variables.apply(matcher.group(1));
        replacement = value == null ? matcher.group() : value;
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String valueFrom(Pod pod, EnvVarSource source) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      SecretKeySelector ref = source.getSecretKeyRef();
      Secret secret = secret(namespace, ref.getName(), ref.getOptional());
      if (secret == null) {
        return null;
      }
      String value = secretValues(secret).get(ref.getKey());
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw configError("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
      }
      return value;
    }
    if (source.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = source.getConfigMapKeyRef();
      ConfigMap configMap = configMap(namespace, ref.getName(), ref.getOptional());
      if (configMap == null) {
        return null;
      }
      String value = configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw configError(
            "couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
      }
      return value;
    }
    if (source.getFieldRef() != null) {
      return podField(pod, source.getFieldRef().getFieldPath());
    }
    throw configError("the simulated kubelet does not resolve resourceFieldRef env values");
  }

  private static String podField(Pod pod, String fieldPath) throws ContainerConfigException {
    Matcher keyed = FIELD_KEY.matcher(fieldPath);
    if (keyed.matches()) {
      Map<String, String> map =
          keyed.group(1).equals("labels") ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
      return map == null ? "" : map.getOrDefault(keyed.group(2), "");
    }
    return switch (fieldPath) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" ->
          pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
      case "status.podIP" -> pod.getStatus() == null ? "" : pod.getStatus().getPodIP();
      case "status.hostIP" -> pod.getStatus() == null ? "" : pod.getStatus().getHostIP();
      default -> throw configError("unsupported fieldRef " + fieldPath);
    };
  }

  private Secret secret(String namespace, String name, Boolean optional) throws ContainerConfigException {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null && !Boolean.TRUE.equals(optional)) {
      throw configError("secret \"" + name + "\" not found");
    }
    return secret;
  }

  private ConfigMap configMap(String namespace, String name, Boolean optional) throws ContainerConfigException {
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).get();
    if (configMap == null && !Boolean.TRUE.equals(optional)) {
      throw configError("configmap \"" + name + "\" not found");
    }
    return configMap;
  }

  /**
   * A Secret's values, decoded. The API server folds {@code stringData} into {@code data} on write
   * (the world's does too); {@code stringData} is still read here, winning as it would, so that a
   * kubelet pointed at a plain mock server resolves the same values.
   */
  static Map<String, String> secretValues(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) ->
          values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private static ContainerConfigException configError(String message) {
    return new ContainerConfigException(ContainerConfigException.CONFIG_ERROR, message);
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
