package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The database a migration changes and where its credentials are. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseRef {

  @JsonPropertyDescription("Identity of the database. Migrations that name the same database are serialised.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Secret in the same namespace with the keys url (JDBC URL), username and password.")
  @Required
  private SecretRef secretRef;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }
}
