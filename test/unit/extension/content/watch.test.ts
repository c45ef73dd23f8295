// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle, watchUrl } from '../../../../extension/content/watch';

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttle', () => {
  it('runs the first call at once', () => {
    const fn = vi.fn();
    throttle(fn, 250)();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('runs at most once per window, and once more at its end for the calls made during it', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(10);
      t();
    }
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(50); // 250 ms after the first run
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('never runs more often than once per window under a steady stream of calls', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    for (let ms = 0; ms < 2000; ms += 5) {
      t();
      vi.advanceTimersByTime(5);
    }
    expect(fn.mock.calls.length).toBeLessThanOrEqual(2000 / 250 + 1);
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(2000 / 250 - 1);
  });

  it('runs at once again after a quiet window', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    vi.advanceTimersByTime(300);
    t();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('cancel drops the pending trailing call', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    t();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('watchUrl', () => {
  it('reports the first URL at once, then each new one from hashchange', () => {
    const onUrl = vi.fn();
    const stop = watchUrl(window, { onUrl });
    expect(onUrl).toHaveBeenLastCalledWith(location.href);
    location.hash = '#resource/a';
    window.dispatchEvent(new Event('hashchange'));
    vi.advanceTimersByTime(250);
    expect(onUrl).toHaveBeenLastCalledWith(location.href);
    expect(location.href).toMatch(/#resource\/a$/);
    stop();
  });

  it('finds pushState navigation (no event) with its poll', () => {
    const onUrl = vi.fn();
    const stop = watchUrl(window, { onUrl, pollMs: 500 });
    onUrl.mockClear();
    history.pushState(null, '', '/#view/x');
    expect(onUrl).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(onUrl).toHaveBeenCalledTimes(1);
    expect(onUrl.mock.calls[0]?.[0]).toMatch(/#view\/x$/);
    stop();
  });

  it('reports an unchanged URL only once however often it is checked', () => {
    const onUrl = vi.fn();
    const stop = watchUrl(window, { onUrl, pollMs: 100 });
    for (let i = 0; i < 10; i++) window.dispatchEvent(new Event('popstate'));
    vi.advanceTimersByTime(5000);
    expect(onUrl).toHaveBeenCalledTimes(1);
    stop();
  });

  it('checks the URL at most once per throttle window during a burst of navigation events', () => {
    const onUrl = vi.fn();
    const stop = watchUrl(window, { onUrl, throttleMs: 250, pollMs: 10_000 });
    onUrl.mockClear();
    for (let i = 0; i < 50; i++) {
      history.pushState(null, '', `/#resource/${i}`);
      window.dispatchEvent(new Event('popstate'));
      vi.advanceTimersByTime(10); // 50 navigations in 500 ms
    }
    vi.advanceTimersByTime(250);
    expect(onUrl.mock.calls.length).toBeLessThanOrEqual(3);
    expect(onUrl).toHaveBeenLastCalledWith(location.href); // the last URL is never lost
    stop();
  });

  it('does no work while the tab is hidden', () => {
    const onUrl = vi.fn();
    const onPoll = vi.fn();
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    const stop = watchUrl(window, { onUrl, onPoll, pollMs: 100 });
    onUrl.mockClear();
    history.pushState(null, '', '/#resource/hidden');
    vi.advanceTimersByTime(1000);
    expect(onUrl).not.toHaveBeenCalled();
    expect(onPoll).not.toHaveBeenCalled();
    hidden.mockReturnValue(false);
    vi.advanceTimersByTime(100);
    expect(onUrl).toHaveBeenCalledTimes(1);
    expect(onPoll).toHaveBeenCalledTimes(1);
    hidden.mockRestore();
    stop();
  });

  it('stops listening and polling when stopped', () => {
    const onUrl = vi.fn();
    const onPoll = vi.fn();
    const stop = watchUrl(window, { onUrl, onPoll, pollMs: 100 });
    stop();
    onUrl.mockClear();
    history.pushState(null, '', '/#resource/after');
    window.dispatchEvent(new Event('hashchange'));
    vi.advanceTimersByTime(1000);
    expect(onUrl).not.toHaveBeenCalled();
    expect(onPoll).not.toHaveBeenCalled();
  });
});
