package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How a pod reports the schema versions it supports. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.http) != has(self.annotation)", message = "set exactly one of http and annotation")
public class Compatibility {

  @JsonPropertyDescription("The pod answers GET http://<podIP>:<port><path> with {\"schema\": {\"min\": \"1\", \"max\": \"3\"}}.")
  private HttpCompatibility http;

  @JsonPropertyDescription("The pod carries the annotation lockstep.dev/schema-compat: \"<min>-<max>\".")
  private AnnotationCompatibility annotation;

  public HttpCompatibility getHttp() {
    return http;
  }

  public void setHttp(HttpCompatibility http) {
    this.http = http;
  }

  public AnnotationCompatibility getAnnotation() {
    return annotation;
  }

  public void setAnnotation(AnnotationCompatibility annotation) {
    this.annotation = annotation;
  }
}
