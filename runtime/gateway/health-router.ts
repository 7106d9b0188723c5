/**
 * /healthz: the process runs. /readyz: policy, audit, signer and the identity provider's keys are
 * loaded (each check named in the answer, so an operator sees which one is missing).
 */
import { Router } from "express";

export function healthRouter(checks: Record<string, () => Promise<boolean>>): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = await check().catch(() => false);
      }),
    );
    const ready = Object.values(results).every(Boolean);
    res
      .status(ready ? 200 : 503)
      .setHeader("cache-control", "no-store")
      .json({ status: ready ? "ready" : "not ready", checks: results });
  });
  return router;
}
