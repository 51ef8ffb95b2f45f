package dev.datasync.testfns;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.RuntimeContext;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;

/** Test function: echoes what the FDK gave it (gateway context, config, ids) so the host mapping can be checked. */
public class EchoFunction {

    private String greeting;
    private String appId;
    private String fnId;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        greeting = ctx.getConfigurationByKey("greeting").orElse("none");
        appId = ctx.getAppID();
        fnId = ctx.getFunctionID();
    }

    public String handleRequest(HTTPGatewayContext gw, String body) {
        gw.setStatusCode(201);
        gw.setResponseHeader("X-Echo", "yes");
        gw.setResponseHeader("Content-Type", "application/json");
        return "{\"method\":\"" + gw.getMethod() + "\",\"url\":\"" + gw.getRequestURL()
                + "\",\"custom\":\"" + gw.getHeaders().get("X-Custom").orElse("") + "\",\"greeting\":\"" + greeting
                + "\",\"appId\":\"" + appId + "\",\"fnId\":\"" + fnId + "\",\"query\":\""
                + gw.getQueryParameters().get("q").orElse("") + "\",\"body\":\"" + body + "\"}";
    }
}
