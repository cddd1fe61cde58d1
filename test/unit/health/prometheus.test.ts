import assert from 'node:assert/strict';
import { parsePrometheusText, samplesOf, readVllmMetrics } from '../../../src/core/health';
import { metricsText } from '../../fixtures/wire/metrics';

describe('health: Prometheus text parser', () => {
  it('reads colon names, escaped label values, NaN/Inf, timestamps and histogram series per label set', () => {
    const exp = parsePrometheusText([
      '# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.',
      '# TYPE vllm:kv_cache_usage_perc gauge',
      'vllm:kv_cache_usage_perc{engine="0",model_name="a\\"b\\\\c,d}"} 0.91',
      '# TYPE vllm:time_to_first_token_seconds histogram',
      'vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 1.0',
      'vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 5.0',
      'vllm:time_to_first_token_seconds_count{model_name="m"} 5.0',
      'vllm:time_to_first_token_seconds_sum{model_name="m"} 1.5',
      'vllm:time_to_first_token_seconds_count{model_name="n"} 2.0',
      'vllm:time_to_first_token_seconds_sum{model_name="n"} 0.5',
      'odd_value NaN',
      'neg{a="x"} -Inf 1700000000000',
      'multi{a="line\\nbreak"} 1e3',
      'this is not a metric line',
      '# EOF',
    ].join('\n'));
    assert.equal(exp.types.get('vllm:time_to_first_token_seconds'), 'histogram');
    assert.equal(exp.help.get('vllm:kv_cache_usage_perc'), 'KV-cache usage. 1 means 100 percent usage.');
    const kv = samplesOf(exp, 'vllm:kv_cache_usage_perc');
    assert.deepEqual(kv[0].labels, { engine: '0', model_name: 'a"b\\c,d}' });
    assert.equal(kv[0].value, 0.91);
    assert.deepEqual(samplesOf(exp, 'vllm:time_to_first_token_seconds_sum').map((s) => [s.labels.model_name, s.value]), [['m', 1.5], ['n', 0.5]]);
    assert.equal(samplesOf(exp, 'vllm:time_to_first_token_seconds_bucket', { le: '+Inf' })[0].value, 5);
    assert.ok(Number.isNaN(samplesOf(exp, 'odd_value')[0].value));
    assert.equal(samplesOf(exp, 'neg')[0].value, -Infinity);
    assert.equal(samplesOf(exp, 'neg')[0].timestampMs, 1700000000000);
    assert.equal(samplesOf(exp, 'multi')[0].labels.a, 'line\nbreak');
    assert.equal(samplesOf(exp, 'multi')[0].value, 1000);
    assert.equal(exp.errors.length, 1, 'the malformed line is reported, the rest kept');
    assert.match(exp.errors[0], /line 14/);
  });

  it('extracts vLLM readings and lists what a server does not expose', () => {
    const healthy = readVllmMetrics(metricsText('healthy', 0), 1000);
    assert.equal(healthy.kvCacheUsage, 0.42);
    assert.equal(healthy.running, 3);
    assert.equal(healthy.waiting, 0);
    assert.equal(healthy.ttftCount, 100);
    assert.equal(healthy.ttftSum, 25);
    assert.equal(healthy.generationTokens, 10_000);
    assert.deepEqual(healthy.models, ['qwen3-32b']);
    assert.deepEqual(healthy.unavailable, []);
    assert.equal(healthy.sources.kvCache, 'vllm:kv_cache_usage_perc');

    const old = readVllmMetrics(metricsText('renamed', 0), 1000);
    assert.equal(old.kvCacheUsage, 0.12, 'the pre-V1 name is followed');
    assert.equal(old.sources.kvCache, 'vllm:gpu_cache_usage_perc');
    assert.deepEqual(old.unavailable, ['vllm:time_to_first_token_seconds', 'vllm:generation_tokens_total']);
  });

  it('takes the fullest engine for KV usage and sums requests across engines', () => {
    const snap = readVllmMetrics([
      'vllm:kv_cache_usage_perc{engine="0"} 0.5', 'vllm:kv_cache_usage_perc{engine="1"} 0.9',
      'vllm:num_requests_running{engine="0"} 2', 'vllm:num_requests_running{engine="1"} 3',
      'vllm:num_requests_waiting{engine="0"} 1', 'vllm:num_requests_waiting{engine="1"} NaN',
    ].join('\n'), 0);
    assert.deepEqual([snap.kvCacheUsage, snap.running, snap.waiting], [0.9, 5, 1]);
  });
});
