/*
 * The scenario `lambdasim init` writes: a small, realistic app with one function per kind of
 * invocation, every figure explained, so a new user edits numbers instead of looking up fields.
 * The account and platform blocks spell out the defaults; a test keeps them equal to the schema's.
 */

const STARTER = `# A lambdasim scenario: a small order-processing app with one function of each kind of invocation.
# Replace the figures with your own functions' settings and traffic, then
#   lambdasim validate <this file>    checks every field (one line per problem)
#   lambdasim run <this file>         simulates and writes summary.json, timeseries.csv, report.md
# Times take a unit (250ms, 30s, 10m, 2h, 1d) or are seconds; rates are per second.
# Field reference: "Scenario reference" in lambdasim's README; \`lambdasim schema\` prints the JSON
# Schema for editor completion. The report folder is named after this file unless "name:" is set.
description: >
  Starter: an order API invoked synchronously, a receipt mailer invoked asynchronously and a
  fulfilment worker fed by an SQS queue, for one hour of steady traffic.
seed: 1         # root of every random draw: the same seed gives the same results
duration: 1h    # arrivals are generated for this long; work still running then is drained

# The account's regional limits, at their AWS defaults. Set concurrencyLimit to the value Service
# Quotas shows for your account.
account:
  concurrencyLimit: 1000     # concurrent executions shared by every function in the region
  unreservedMinimum: 100     # AWS keeps this much unreserved: reservations may total limit - 100
  scaling: per-function      # each function may add 1,000 environments per 10 s (since Nov 2023); legacy | unlimited

# How Lambda keeps execution environments. AWS documents little of this: these defaults are
# measured figures or Lambda's documented behaviour.
platform:
  keepAlive: 10m             # an environment idle this long is reclaimed (measured at ~10 minutes)
  maxLifetime: 2h            # environments are recycled after 1.8-2 h of life even if in use (a busy one finishes first)
  reuse: mru                 # the most recently used idle environment takes the next request, as measured
  initBilling: current       # INIT is billed for every function since August 2025; pre-2025-08 for older bills
  freeTier: false            # true deducts the monthly free tier (1 M requests, 400,000 GB-s) from the cost

functions:
  - name: orders-api
    runtime: nodejs22.x      # with package and architecture, selects the measured cold-start (init) time
    memoryMb: 512            # CPU is proportional to memory: 1,769 MB is one vCPU
    architecture: arm64      # arm64 costs ~20 % less per GB-s than x86_64
    timeout: 10s
    # Handler time: a lognormal through the median and p99 of CloudWatch's Duration metric (mean ~84 ms).
    duration: { lognormal: { median: 60ms, p99: 400ms } }
    errorRate: 0.001         # share of invocations that fail with an error

  - name: send-receipt
    runtime: python3.12
    memoryMb: 256
    timeout: 30s
    duration: { lognormal: { median: 250ms, p99: 1200ms } }   # mean ~314 ms: an email API call

  - name: fulfil-order
    runtime: java21
    memoryMb: 1024
    timeout: 1m
    duration: { lognormal: { median: 300ms, p99: 2s } }   # per batch: a call to the warehouse API
    reservedConcurrency: 20  # guarantees the worker 20 executions and caps it there, sparing the warehouse API

workload:
  # API Gateway calls orders-api synchronously: 20 requests/s keep ~20 x 0.084 s = 1.7 busy on
  # average. API Gateway returns a 429 to its caller; use client: { retry: sdk-standard } for a
  # caller that invokes through an AWS SDK, which retries throttles.
  - function: orders-api
    invocation: sync
    arrivals: { poisson: { rate: 20 } }
    client: { retry: none }

  # SNS or EventBridge delivers each order event asynchronously: Lambda queues it, retries a failed
  # invocation twice (after ~1 and ~2 minutes) and sends what still fails to the on-failure
  # destination.
  - function: send-receipt
    invocation: async
    arrivals: { poisson: { rate: 20 } }
    async: { maximumRetryAttempts: 2, maximumEventAge: 6h, onFailure: dlq }

  # Orders queue up in SQS; Lambda's pollers deliver them in batches of up to 10.
  - function: fulfil-order
    source: sqs
    messages: { poisson: { rate: 20 } }
    batchSize: 10
    recordDuration: 20ms     # handler time per message, added to the function's duration per batch
    visibilityTimeout: 6m    # AWS recommends 6 x the function timeout
    maxReceiveCount: 5       # a message received 5 times without being deleted moves to the dead-letter queue
`;

/** The commented starter scenario `lambdasim init` writes; it validates and runs as it is. */
export function starterScenario(): string {
  return STARTER;
}
