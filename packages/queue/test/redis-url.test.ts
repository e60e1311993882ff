import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactUrl } from '../src/index.ts';

describe('--redis URLs', () => {
  it('reads user, password, host, port, database and TLS, and never displays the password', () => {
    const target = parseRedisUrl('rediss://lab:s3cr%40t@redis.example.org:6380/2');
    expect(target).toMatchObject({
      host: 'redis.example.org',
      port: 6380,
      db: 2,
      username: 'lab',
      password: 's3cr@t',
      tls: true,
    });
    expect(target.display).toBe('rediss://lab:***@redis.example.org:6380/2');
    expect(parseRedisUrl('redis://127.0.0.1')).toMatchObject({ port: 6379, db: 0, tls: false });
  });

  it('refuses other schemes and bad databases with the URL redacted', () => {
    expect(() => parseRedisUrl('http://u:pw@host')).toThrow(/http:\/\/u:\*\*\*@host.*redis:\/\//);
    expect(() => parseRedisUrl('redis://:pw@host/x')).toThrow(/database "x"/);
    expect(() => parseRedisUrl('redis://:pw@host/x')).not.toThrow(/pw/);
  });

  it('redacts text that is not even a URL', () => {
    expect(redactUrl('redis//nope:pw@')).not.toContain('pw');
    expect(redactUrl('://u:pw@h')).not.toContain('pw');
  });
});
