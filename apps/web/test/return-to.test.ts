import { describe, expect, it } from 'vitest';
import { parseReturnTo } from '../src/index.js';

describe('parseReturnTo', () => {
  it.each([
    ['/', '/'],
    ['/viewer?urn=a%2Fb#x', '/viewer?urn=a%2Fb#x'],
    ['/a/../b', '/b'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('accepts the path %j as %j', (input, output) => {
    expect(parseReturnTo(input)).toBe(output);
  });

  it.each([
    '',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example',
    'http:/evil.example',
    '//evil.example/%2F..',
    'javascript:alert(1)',
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e//evil.example',
    '/..//evil.example',
    'relative/path',
    '/\nevil',
    '/ evil',
    `/${'a'.repeat(2048)}`,
  ])('refuses %j', (input) => {
    expect(parseReturnTo(input)).toBeUndefined();
  });
});
