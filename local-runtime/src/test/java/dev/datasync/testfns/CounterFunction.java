package dev.datasync.testfns;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test function with a static counter: each container has its own class loader, so each counts from 1; the
 * body "sleep:N" makes a call take N ms and "fail" throws.
 */
public class CounterFunction {

    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();

    public String handleRequest(String body) throws InterruptedException {
        int concurrent = IN_FLIGHT.incrementAndGet();
        try {
            int n = CALLS.incrementAndGet();
            if (body.startsWith("sleep:")) {
                Thread.sleep(Long.parseLong(body.substring(6)));
            }
            if (body.equals("fail")) {
                throw new IllegalStateException("asked to fail");
            }
            return "calls=" + n + ",concurrent=" + concurrent + ",loader="
                    + System.identityHashCode(CounterFunction.class.getClassLoader());
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }
}
