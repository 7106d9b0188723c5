// Never let telemetry try to reach Azure from a test.
process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = "true";
process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = "true";
