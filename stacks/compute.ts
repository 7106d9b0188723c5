/**
 * Compute: the Container Apps environment inside the VNet (Consumption workload profile, zone
 * redundant, logs through diagnostic settings), the gateway (the only public entry, HTTPS only) and
 * the agent (internal ingress only), each with its own identity and secrets as Key Vault references.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { ContainerApp, type ContainerAppTemplateContainerEnv } from "@cdktf/provider-azurerm/lib/container-app";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import type { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import type { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { diagnosticsToWorkspace } from "./diagnostics";
import { grantRole } from "./role-grant";
import { waitForRbac } from "./rbac-propagation";
import type { ArmKeyVaultSecret } from "./arm-key-vault-secret";
import type { AgentEnvName, EnvMap, GatewayEnvName } from "./runtime-env";
import type { RegistryRef } from "./image-registry";

export const APP_PORT = 8080;
/** Tag naming what a Container App is; the compliance rules key on it. */
export const ROLE_TAG = "gatehouse-role";

/** One app; `Name` is the set of variables its runtime reads (stacks/runtime-env.ts). */
export interface AppSpec<Name extends string = string> {
  readonly name: string;
  readonly image: string;
  readonly identity: UserAssignedIdentity;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Plain settings (never secrets). */
  readonly env: EnvMap<Name>;
  /** Environment variables read from Key Vault secrets through the app's identity. */
  readonly secretEnv: Partial<Record<Name, Pick<ArmKeyVaultSecret, "versionlessId">>>;
  /** Role assignments the app needs before its first revision starts (it waits for their propagation). */
  readonly grants: readonly RoleAssignment[];
}

export interface ComputeProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly environmentName: string;
  /**
   * The platform-managed resource group of the environment. Named explicitly: left empty, Azure
   * generates `ME_<env>_<rg>_<region>`, and since the attribute is ForceNew (azurerm v4.55.0
   * container_app_environment_resource.go) every later plan would replace the environment and
   * both apps (new default domain, broken URLs and redirect URIs). Checked by GH_CA_4.
   */
  readonly infrastructureResourceGroupName: string;
  readonly subnet: Subnet;
  /**
   * Internal environment (internal load balancer, public network access disabled): reached only
   * from the VNet and over Private Link (the edge). @default false - the environment's public ingress
   */
  readonly internal?: boolean;
  readonly workspaceId: string;
  readonly gateway: AppSpec<GatewayEnvName>;
  readonly agent: AppSpec<AgentEnvName>;
  /**
   * The registry both identities pull from with AcrPull (stacks/image-registry.ts).
   * @default - no registry credentials: only public images can be pulled (synth warns)
   */
  readonly registry?: RegistryRef;
  /** Settings that need the environment (its domain), merged over each app's `env`. */
  readonly envFor?: (compute: Compute) => { gateway: EnvMap<GatewayEnvName>; agent: EnvMap<AgentEnvName> };
  readonly tags: Record<string, string>;
}

const WORKLOAD_PROFILE = "Consumption";

export class Compute extends Construct {
  readonly environment: ContainerAppEnvironment;
  readonly gatewayApp: ContainerApp;
  readonly agentApp: ContainerApp;
  readonly registry?: RegistryRef;

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id);
    this.environment = new ContainerAppEnvironment(this, "environment", {
      name: props.environmentName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      infrastructureSubnetId: props.subnet.id,
      infrastructureResourceGroupName: props.infrastructureResourceGroupName,
      internalLoadBalancerEnabled: props.internal ?? false,
      // Private Link (Front Door's origin) needs public network access disabled; left to Azure otherwise.
      publicNetworkAccess: props.internal ? "Disabled" : undefined,
      zoneRedundancyEnabled: true,
      workloadProfile: [{ name: WORKLOAD_PROFILE, workloadProfileType: WORKLOAD_PROFILE }],
      // Console and system logs go through the diagnostic setting below, like every other resource.
      logsDestination: "azure-monitor",
      tags: props.tags,
    });
    diagnosticsToWorkspace(this, "environment-diagnostics", this.environment.id, props.workspaceId);

    let pullGrants: RoleAssignment[] = [];
    const registry = props.registry;
    if (registry) {
      this.registry = registry;
      pullGrants = [props.gateway, props.agent].map((spec, i) =>
        grantRole(this, `${i === 0 ? "gateway" : "agent"}-pulls-images`, {
          role: "AcrPull",
          scope: registry.id,
          principalId: spec.identity.principalId,
          description: "Pull the Gatehouse image with the app identity (no registry passwords)",
        }),
      );
    }
    const extra = props.envFor?.(this);
    // The gateway sees every client through the environment's ingress (Envoy), which runs inside
    // the environment and so connects from the infrastructure subnet; the client's address arrives
    // in X-Forwarded-For (Container Apps ingress overview, "HTTP headers";
    // microsoft/azure-container-apps#272). Without trusting that subnet every client would share the
    // ingress address: one per-address rate limit for all, and no real clientIp in audit records.
    // Only that subnet: a client's own X-Forwarded-For entries are never believed (Envoy appends the
    // peer it saw, and Express takes the last untrusted hop).
    const edge = { GATEHOUSE_TRUSTED_PROXIES: Fn.join(",", props.subnet.addressPrefixes) };
    this.gatewayApp = this.app(
      "gateway",
      { ...props.gateway, env: { ...props.gateway.env, ...edge, ...extra?.gateway } },
      props,
      true,
      pullGrants,
    );
    this.agentApp = this.app(
      "agent",
      { ...props.agent, env: { ...props.agent.env, ...extra?.agent } },
      props,
      false,
      pullGrants,
    );
  }

  /** Host name an app gets in this environment (known before the app exists, so no cycle). */
  appFqdn(appName: string, internal: boolean): string {
    return `${appName}.${internal ? "internal." : ""}${this.environment.defaultDomain}`;
  }

  private app(
    role: "gateway" | "agent",
    spec: AppSpec<string>,
    props: ComputeProps,
    external: boolean,
    pullGrants: readonly RoleAssignment[],
  ): ContainerApp {
    const secretNames = Object.fromEntries(
      Object.entries(spec.secretEnv).map(([envName]) => [envName, envName.toLowerCase().replace(/_/g, "-")]),
    );
    const env: ContainerAppTemplateContainerEnv[] = [
      ...Object.entries(spec.env).map(([name, value]) => ({ name, value: value as string })),
      ...Object.keys(spec.secretEnv).map((name) => ({ name, secretName: secretNames[name] })),
    ];
    return new ContainerApp(this, `${role}-app`, {
      name: spec.name,
      resourceGroupName: props.resourceGroupName,
      containerAppEnvironmentId: this.environment.id,
      revisionMode: "Single",
      workloadProfileName: WORKLOAD_PROFILE,
      identity: { type: "UserAssigned", identityIds: [spec.identity.id] },
      registry: this.registry ? [{ server: this.registry.loginServer, identity: spec.identity.id }] : undefined,
      secret: Object.entries(spec.secretEnv).map(([envName, secret]) => ({
        name: secretNames[envName],
        keyVaultSecretId: (secret as Pick<ArmKeyVaultSecret, "versionlessId">).versionlessId,
        identity: spec.identity.id,
      })),
      ingress: {
        externalEnabled: external,
        allowInsecureConnections: false,
        targetPort: APP_PORT,
        transport: "http",
        trafficWeight: [{ latestRevision: true, percentage: 100 }],
      },
      template: {
        minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas,
        container: [
          {
            name: role,
            image: spec.image,
            // The image runs both processes; its entrypoint requires the role (gatehouse-runtime gateway|agent).
            args: [role],
            cpu: 0.5,
            memory: "1Gi",
            env,
            livenessProbe: [{ transport: "HTTP", path: "/healthz", port: APP_PORT, intervalSeconds: 10 }],
            readinessProbe: [{ transport: "HTTP", path: "/readyz", port: APP_PORT, intervalSeconds: 5 }],
          },
        ],
      },
      tags: { ...props.tags, [ROLE_TAG]: role },
      // Key Vault references and image pulls use the app identity at first start.
      dependsOn: [waitForRbac(this, `${role}-rbac-propagation`, [...pullGrants, ...spec.grants])],
    });
  }
}
