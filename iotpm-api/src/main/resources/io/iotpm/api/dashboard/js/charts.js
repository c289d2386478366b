// ECharts (from the echarts webjar) helpers: one place for sizes, colours and cleanup.
const PALETTE = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#5c940d', '#e67700', '#364fc7', '#a61e4d'];

const live = new Set();

export function chart(el) {
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  live.add(c);
  return c;
}

export function dispose(c) {
  if (c && !c.isDisposed()) c.dispose();
  live.delete(c);
}

export function disposeAll(list) {
  for (const c of list) dispose(c);
  list.length = 0;
}

export function resizeAll() {
  for (const c of live) if (!c.isDisposed()) c.resize();
}

export const base = {
  color: PALETTE,
  animation: false,
  textStyle: { fontFamily: 'system-ui, "DejaVu Sans", sans-serif' },
  grid: { left: 52, right: 16, top: 30, bottom: 28, containLabel: false },
  tooltip: { trigger: 'axis', confine: true },
};

export function timeAxis() {
  return { type: 'time', axisLabel: { hideOverlap: true }, splitLine: { show: false } };
}

export function valueAxis(name) {
  return { type: 'value', name, scale: true, nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { color: '#eef0f4' } } };
}
