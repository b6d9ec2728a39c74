import { describe, expect, it } from 'vitest';
import { spareQueue, type Spare } from './spares.ts';

const spare = (id: number): Spare => ({ id, port: new MessageChannel().port1 });

describe('spareQueue', () => {
  it('gives the spare already booted at once, and only once', async () => {
    const queue = spareQueue();
    const first = spare(1);
    queue.offer(first);
    expect(await queue.take()).toBe(first);
    let second: Spare | undefined;
    void queue.take().then((s) => (second = s));
    await Promise.resolve();
    expect(second).toBeUndefined();
    const next = spare(2);
    queue.offer(next);
    await Promise.resolve();
    expect(second).toBe(next);
  });

  it('takeNow() takes the booted spare in the same task, or nothing when none is booted', async () => {
    const queue = spareQueue();
    expect(queue.takeNow()).toBeUndefined();
    const booted = spare(3);
    queue.offer(booted);
    expect(queue.takeNow()).toBe(booted);
    expect(queue.takeNow()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });

  it('a newer spare replaces one not yet taken', async () => {
    const queue = spareQueue();
    queue.offer(spare(1));
    const newer = spare(2);
    queue.offer(newer);
    expect(queue.peek()).toBe(newer);
    expect((await queue.take()).id).toBe(2);
    expect(queue.peek()).toBeUndefined();
  });

  it('runs waiting for a spare get them in the order they asked', async () => {
    const queue = spareQueue();
    const got: number[] = [];
    const a = queue.take().then((s) => got.push(s.id));
    const b = queue.take().then((s) => got.push(s.id));
    queue.offer(spare(7));
    queue.offer(spare(8));
    await Promise.all([a, b]);
    expect(got).toEqual([7, 8]);
  });
});
