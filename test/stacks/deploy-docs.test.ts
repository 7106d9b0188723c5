/**
 * docs/deploy.md and the workflows say only what is true of the stack (issue 13 item 12): the
 * configuration table covers every variable, the resource providers are the ones the provider
 * registers, Terraform is installed (cdktf-cli 0.21 does not download it), images deploy by digest,
 * and no notification is promised that nothing sends.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigEnvSchema } from "../../stacks/config";
import { REQUIRED_RESOURCE_PROVIDERS } from "../../stacks/azurerm-provider";
import { Testing } from "cdktf";
import { defaultStack, resourcesOf } from "./support/default-stack";

const root = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("docs/deploy.md", () => {
  const doc = read("docs/deploy.md");

  test("the configuration table lists every variable stacks/config.ts reads", () => {
    const missing = Object.keys(ConfigEnvSchema.shape).filter(
      (v) => !doc.includes(`\`${v}\``) && !doc.includes(`\`${v.replace(/_(MIN|MAX)_REPLICAS$/, "_MIN_REPLICAS")}\``),
    );
    expect(missing).toEqual([]);
  });

  test("names every resource provider namespace the azurerm provider registers", () => {
    expect(REQUIRED_RESOURCE_PROVIDERS.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });

  test("says how the image is built and run, and how the key rotates without a deploy", () => {
    expect(doc).toContain("npm run image");
    expect(doc).toMatch(/az acr build [^\n]*--file runtime\/Dockerfile/);
    expect(doc).toMatch(/root\*\* `\.dockerignore`/);
    expect(doc).toContain("`gatehouse-runtime gateway` or `gatehouse-runtime agent`");
    const rotation = doc.slice(doc.indexOf("## Rotating the signing key"), doc.indexOf("## Locking"));
    expect(rotation).toContain("Rotation needs no deploy");
    expect(rotation).toContain("trusts the current and previous versions");
    expect(rotation).not.toMatch(/then `npm run deploy`/);
  });

  test("no longer asks for a deploy from inside the VNet (nothing goes through a data plane)", () => {
    expect(doc).not.toMatch(/must run\s+where the Gatehouse VNet's private DNS zones resolve/);
    expect(doc).not.toContain("config/policy-bundle.json");
  });

  test("the region cost table counts what the stack synthesizes: private endpoints per region, minimum replicas and their size", () => {
    const synth = Testing.synth(defaultStack({ GATEHOUSE_REGIONS: "westeurope,northeurope" }));
    const perLocation = new Map<string, number>();
    for (const pe of Object.values(resourcesOf(synth, "azurerm_private_endpoint"))) {
      perLocation.set(String(pe.location), (perLocation.get(String(pe.location)) ?? 0) + 1);
    }
    const table = doc.slice(doc.indexOf("### What a region costs per month"), doc.indexOf("## Regions"));
    const counted = /first region: \*\*(\d+)\*\*; each further region: \*\*(\d+)\*\*/.exec(table);
    expect(counted && [Number(counted[1]), Number(counted[2])]).toEqual([
      perLocation.get("westeurope"),
      perLocation.get("northeurope"),
    ]);

    // The first region's apps (a further region's names carry its code: ca-gh-prod-<code>-gateway).
    const apps = Object.values(resourcesOf(synth, "azurerm_container_app"));
    const template = (name: string) =>
      apps.find((a) => a.name === `ca-gh-prod-${name}`)?.template as {
        min_replicas: number;
        container: { cpu: number; memory: string }[];
      };
    const gateway = template("gateway");
    const agent = template("agent");
    expect(table).toContain(
      `\`GATEHOUSE_GATEWAY_MIN_REPLICAS\` ${gateway.min_replicas} + \`GATEHOUSE_AGENT_MIN_REPLICAS\` ${agent.min_replicas}`,
    );
    for (const app of [gateway, agent]) {
      const { cpu, memory } = app.container[0];
      expect(table).toContain(`${cpu} vCPU and ${memory.replace("Gi", " GiB")} each`);
    }
  });

  test("promises nothing the stack does not do", () => {
    expect(doc).not.toMatch(/downloaded by cdktf/i);
    expect(doc).not.toMatch(/notifies 30 days/i);
    expect(doc).not.toMatch(/peer your runner/i);
  });
});

describe("workflows", () => {
  test.each(["pr.yml", "deploy.yml"])("%s installs Terraform (without the wrapper) before cdktf runs", (file) => {
    const wf = read(path.join(".github", "workflows", file));
    const setup = wf.indexOf("hashicorp/setup-terraform@");
    expect(setup).toBeGreaterThan(0);
    expect(wf.slice(setup, setup + 200)).toContain("terraform_wrapper: false");
    const cdktf = Math.max(wf.indexOf("npm run synth"), wf.indexOf("npm run deploy"));
    expect(setup).toBeLessThan(cdktf);
  });

  test("deploy.yml builds, scans and pushes the image, then deploys that digest", () => {
    const wf = read(path.join(".github", "workflows", "deploy.yml"));
    expect(wf).toMatch(/aquasecurity\/trivy-action@[\w.]+[\s\S]*exit-code: "1"/);
    expect(wf).toContain('case "$digest" in *@sha256:*)');
    expect(wf).toContain("GATEHOUSE_GATEWAY_IMAGE: ${{ needs.image.outputs.image }}");
    expect(wf).toContain("GATEHOUSE_AGENT_IMAGE: ${{ needs.image.outputs.image }}");
    expect(wf).toContain("GATEHOUSE_REGISTRY_ID: ${{ vars.GATEHOUSE_REGISTRY_ID }}");
  });

  test("deploy.yml builds on a base pinned by digest: GATEHOUSE_NODE_IMAGE (a repository variable) and --require-pinned reach npm run image", () => {
    const wf = read(path.join(".github", "workflows", "deploy.yml"));
    const build = wf.slice(wf.indexOf("npm run image"));
    const step = build.slice(0, build.search(/\n\s+- (name|uses):/));
    expect(step).toContain("--require-pinned");
    expect(step).toMatch(/env:\s+GATEHOUSE_NODE_IMAGE: \$\{\{ vars\.GATEHOUSE_NODE_IMAGE \}\}/);
    // A tag in the variable fails before the build.
    expect(wf.slice(0, wf.indexOf("npm run image"))).toContain('case "$GATEHOUSE_NODE_IMAGE" in');
  });
});
