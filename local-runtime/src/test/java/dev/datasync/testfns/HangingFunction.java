package dev.datasync.testfns;

/** Test function that ignores interruption and runs past any time-out unless the body is "quick". */
public class HangingFunction {

    public String handleRequest(String body) {
        if (!body.equals("quick")) {
            long until = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < until) {
                Thread.onSpinWait();
            }
        }
        return "done";
    }
}
