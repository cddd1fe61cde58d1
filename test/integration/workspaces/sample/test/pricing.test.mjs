import { test } from 'node:test';
import assert from 'node:assert/strict';

test('placeholder: the sample has a test folder for "Write Tests"', () => {
  assert.equal(1 + 1, 2);
});
