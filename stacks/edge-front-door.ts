/**
 * The edge (GATEHOUSE_EDGE=frontdoor): Azure Front Door Premium in front of the gateway, with a WAF
 * policy in Prevention mode (Microsoft's managed default rule set and bot protection, and a rate
 * limit per client address), reaching the gateway over Private Link to the internal Container Apps
 * environment, its access, health-probe and WAF logs in the workspace.
 *
 * Why this shape (docs/decisions/0005-edge-front-door-private-link.md):
 * - Front Door Premium reaches a *workload-profiles* environment with public network access
 *   disabled over Private Link, origin target type `managedEnvironments`
 *   (https://learn.microsoft.com/azure/container-apps/front-door-custom-virtual-network-private-link;
 *   azurerm v4.55.0 cdn_frontdoor_origin_resource.go accepts that target type).
 * - Azure creates the private endpoint in Front Door's network and leaves the connection Pending on
 *   the environment: it must be approved once after the first apply (docs/deploy.md, "Edge").
 * - The gateway checks `X-Azure-FDID` against `frontDoorId` (runtime/gateway/front-door-guard.ts).
 */
import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { CdnFrontdoorProfile } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-profile";
import { CdnFrontdoorEndpoint } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint";
import { CdnFrontdoorOriginGroup } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group";
import { CdnFrontdoorOrigin } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin";
import { CdnFrontdoorRoute } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-route";
import { CdnFrontdoorSecurityPolicy } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-security-policy";
import type { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { diagnosticsToWorkspace } from "./diagnostics";
import { WafPolicy } from "./edge-waf-policy";

export const FRONT_DOOR_SKU = "Premium_AzureFrontDoor";
/**
 * With several regions: origins whose probe latency is within this many milliseconds of the
 * fastest healthy one share its traffic (Front Door's latency-based routing); the others are used
 * when those fail their `/readyz` probes.
 */
export const REGION_LATENCY_SENSITIVITY_MS = 50;
const LOAD_BALANCING = { sampleSize: 4, successfulSamplesRequired: 3 };

/** A secondary region's gateway: one more Private Link origin in the gateway's origin group. */
export interface RegionOriginProps {
  /** The region (names the origin `gateway-<location>`). */
  readonly location: string;
  /** The region's internal environment: the Private Link target. */
  readonly environment: ContainerAppEnvironment;
  /** The region's gateway host in that environment. */
  readonly originHostName: string;
}

export interface EdgeFrontDoorProps {
  readonly resourceGroupName: string;
  /** Prefix of resource names (`gh-<env>`). */
  readonly prefix: string;
  /** The internal environment the gateway runs in: the Private Link target. */
  readonly environment: ContainerAppEnvironment;
  /** The gateway's host in that environment (origin host and Host header). */
  readonly originHostName: string;
  readonly workspaceId: string;
  /**
   * Requests per client address and minute before the WAF blocks that address.
   * @default 600
   */
  readonly rateLimitPerMinute?: number;
  readonly tags: Record<string, string>;
}

export class EdgeFrontDoor extends Construct {
  readonly profile: CdnFrontdoorProfile;
  readonly endpoint: CdnFrontdoorEndpoint;
  readonly origin: CdnFrontdoorOrigin;
  /** Every origin of the gateway's group: the primary region's first, then one per secondary region. */
  readonly origins: CdnFrontdoorOrigin[] = [];
  readonly waf: WafPolicy;
  private readonly group: CdnFrontdoorOriginGroup;

  constructor(scope: Construct, id: string, props: EdgeFrontDoorProps) {
    super(scope, id);
    this.profile = new CdnFrontdoorProfile(this, "profile", {
      name: `afd-${props.prefix}`,
      resourceGroupName: props.resourceGroupName,
      // Premium: Private Link origins and the managed WAF rule sets need it.
      skuName: FRONT_DOOR_SKU,
      // The longest Front Door allows: a held approval or a slow tool answers after the default 60 s.
      responseTimeoutSeconds: 240,
      tags: props.tags,
    });
    // FrontDoorAccessLog, FrontDoorHealthProbeLog, FrontDoorWebApplicationFirewallLog (AzureDiagnostics).
    diagnosticsToWorkspace(this, "profile-diagnostics", this.profile.id, props.workspaceId);

    this.endpoint = new CdnFrontdoorEndpoint(this, "endpoint", {
      name: `fde-${props.prefix}`,
      cdnFrontdoorProfileId: this.profile.id,
      enabled: true,
      tags: props.tags,
    });
    const group = (this.group = new CdnFrontdoorOriginGroup(this, "origin-group", {
      name: "gateway",
      cdnFrontdoorProfileId: this.profile.id,
      sessionAffinityEnabled: false,
      loadBalancing: LOAD_BALANCING,
      // /readyz answers without X-Azure-FDID (the guard sits after the health router).
      healthProbe: { protocol: "Https", path: "/readyz", requestType: "GET", intervalInSeconds: 30 },
    }));
    this.origin = this.gatewayOrigin(
      "origin",
      "gateway",
      props.originHostName,
      props.environment,
      "Gatehouse Front Door to the gateway's Container Apps environment",
    );
    new CdnFrontdoorRoute(this, "route", {
      name: "gateway",
      cdnFrontdoorEndpointId: this.endpoint.id,
      cdnFrontdoorOriginGroupId: group.id,
      // Resolved at synth: secondary regions add their origins after this route is declared.
      cdnFrontdoorOriginIds: Lazy.listValue({ produce: () => this.origins.map((o) => o.id) }),
      // Bearer tokens never travel in clear text, not even to be redirected.
      supportedProtocols: ["Https"],
      httpsRedirectEnabled: false,
      forwardingProtocol: "HttpsOnly",
      patternsToMatch: ["/*"],
      linkToDefaultDomain: true,
      // No cache block: nothing is cached (MCP answers are per user).
    });

    this.waf = new WafPolicy(this, "waf", {
      name: `waf${props.prefix.replace(/[^a-z0-9]/gi, "")}`,
      resourceGroupName: props.resourceGroupName,
      rateLimitPerMinute: props.rateLimitPerMinute ?? 600,
      tags: props.tags,
    });
    new CdnFrontdoorSecurityPolicy(this, "security-policy", {
      name: "waf",
      cdnFrontdoorProfileId: this.profile.id,
      securityPolicies: {
        firewall: {
          cdnFrontdoorFirewallPolicyId: this.waf.policy.id,
          association: { domain: [{ cdnFrontdoorDomainId: this.endpoint.id }], patternsToMatch: ["/*"] },
        },
      },
    });
  }

  /**
   * Adds a secondary region's gateway to the origin group, over Private Link to that region's
   * environment (its own pending connection to approve), and turns on latency-based routing
   * between the regions.
   */
  addRegionOrigin(props: RegionOriginProps): CdnFrontdoorOrigin {
    // Same priority and weight as the primary: the regions share traffic by latency, not by rank.
    const origin = this.gatewayOrigin(
      `origin-${props.location}`,
      `gateway-${props.location}`,
      props.originHostName,
      props.environment,
      `Gatehouse Front Door to the gateway's Container Apps environment in ${props.location}`,
    );
    this.group.putLoadBalancing({ ...LOAD_BALANCING, additionalLatencyInMilliseconds: REGION_LATENCY_SENSITIVITY_MS });
    return origin;
  }

  /** The value Front Door sends in X-Azure-FDID (GATEHOUSE_FRONT_DOOR_ID). */
  get frontDoorId(): string {
    return this.profile.resourceGuid;
  }

  /** The endpoint's host (`<name>-<hash>.z01.azurefd.net`). */
  get hostName(): string {
    return this.endpoint.hostName;
  }

  /** One gateway origin over Private Link to a Container Apps environment (its connection waits for approval). */
  private gatewayOrigin(
    id: string,
    name: string,
    hostName: string,
    environment: RegionOriginProps["environment"],
    requestMessage: string,
  ): CdnFrontdoorOrigin {
    const origin = new CdnFrontdoorOrigin(this, id, {
      name,
      cdnFrontdoorOriginGroupId: this.group.id,
      enabled: true,
      hostName,
      originHostHeader: hostName,
      httpsPort: 443,
      httpPort: 80,
      // Required with private_link (the provider refuses it otherwise); the app's managed certificate matches its host.
      certificateNameCheckEnabled: true,
      priority: 1,
      weight: 1000,
      privateLink: {
        privateLinkTargetId: environment.id,
        location: environment.location,
        targetType: "managedEnvironments",
        requestMessage,
      },
    });
    this.origins.push(origin);
    return origin;
  }
}
