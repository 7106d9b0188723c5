import { isGatehouseError } from "../../runtime/core/errors";
import { loadConfig } from "../../stacks/config";

const complete = {
  GATEHOUSE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555",
  GATEHOUSE_TENANT_ID: "66666666-7777-8888-9999-000000000000",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_GATEWAY_IMAGE: "contoso.azurecr.io/gatehouse:1.0.0",
  GATEHOUSE_AGENT_IMAGE: "contoso.azurecr.io/gatehouse:1.0.0",
};

function failure(env: NodeJS.ProcessEnv, allowPlaceholders = false): { message: string; variables: string[] } {
  try {
    loadConfig(env, { allowPlaceholders });
  } catch (e) {
    if (isGatehouseError(e) && e.code === "ERR_CONFIG_INVALID")
      return { message: e.message, variables: e.details.variables as string[] };
    throw e;
  }
  throw new Error("expected loadConfig to fail");
}

describe("loadConfig", () => {
  test("secure defaults from a complete environment", () => {
    const config = loadConfig(complete);
    expect(config).toMatchObject({
      environment: "prod",
      gateway: { minReplicas: 2 },
      logRetentionDays: 365,
      auditImmutability: { periodDays: 400, locked: false },
      state: { backend: "local" },
      placeholders: [],
    });
  });

  test("every missing deploy-time value is named", () => {
    const { variables, message } = failure({});
    expect(variables.sort()).toEqual(
      [
        "GATEHOUSE_AGENT_IMAGE",
        "GATEHOUSE_AUDIENCE",
        "GATEHOUSE_GATEWAY_IMAGE",
        "GATEHOUSE_SUBSCRIPTION_ID",
        "GATEHOUSE_TENANT_ID",
      ].sort(),
    );
    expect(message).toContain("GATEHOUSE_TENANT_ID: received nothing (missing)");
  });

  test("every invalid value is named with what was received", () => {
    const { variables, message } = failure({
      ...complete,
      GATEHOUSE_TENANT_ID: "contoso",
      GATEHOUSE_LOG_RETENTION_DAYS: "30",
      GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED: "yes",
      GATEHOUSE_ALERT_EMAILS: "ops@example.com,not-an-address",
    });
    expect(variables.sort()).toEqual(
      [
        "GATEHOUSE_ALERT_EMAILS",
        "GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED",
        "GATEHOUSE_LOG_RETENTION_DAYS",
        "GATEHOUSE_TENANT_ID",
      ].sort(),
    );
    expect(message).toContain('GATEHOUSE_LOG_RETENTION_DAYS: received "30"');
  });

  test("the azurerm backend needs its storage account", () => {
    expect(failure({ ...complete, GATEHOUSE_STATE_BACKEND: "azurerm" }).variables.sort()).toEqual(
      ["GATEHOUSE_STATE_RESOURCE_GROUP", "GATEHOUSE_STATE_STORAGE_ACCOUNT"].sort(),
    );
  });

  test("cross-variable problems are reported together with single-value ones", () => {
    const { variables } = failure({
      ...complete,
      GATEHOUSE_STATE_BACKEND: "azurerm",
      GATEHOUSE_LOCATION: "West Europe",
      GATEHOUSE_GATEWAY_MIN_REPLICAS: "5",
      GATEHOUSE_GATEWAY_MAX_REPLICAS: "3",
    });
    expect(variables.sort()).toEqual(
      [
        "GATEHOUSE_GATEWAY_MAX_REPLICAS",
        "GATEHOUSE_LOCATION",
        "GATEHOUSE_STATE_RESOURCE_GROUP",
        "GATEHOUSE_STATE_STORAGE_ACCOUNT",
      ].sort(),
    );
  });

  test("placeholders fill only missing deploy-time values and are reported", () => {
    const config = loadConfig({ GATEHOUSE_TENANT_ID: complete.GATEHOUSE_TENANT_ID }, { allowPlaceholders: true });
    expect(config.tenantId).toBe(complete.GATEHOUSE_TENANT_ID);
    expect(config.placeholders).toContain("GATEHOUSE_SUBSCRIPTION_ID");
    expect(config.placeholders).not.toContain("GATEHOUSE_TENANT_ID");
  });

  test("placeholders never hide an invalid value", () => {
    expect(failure({ GATEHOUSE_LOCATION: "West Europe" }, true).variables).toEqual(["GATEHOUSE_LOCATION"]);
  });
});
