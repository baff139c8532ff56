import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, LineController, LineElement, PointElement);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

export const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** A chart in a sized box; `label` is read by screen readers, the numbers are also in the table beside it. */
export function chart(label: string, config: ChartConfiguration): HTMLElement {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const box = document.createElement('div');
  box.className = 'chart';
  box.append(canvas);
  // Drawn once the box is in the document, so it has a size. What was drawn is also left on the box (labels and each
  // series' points, read back from the chart), so a test can compare the plot with the API it came from.
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    const drawn = new Chart(canvas, config);
    box.dataset.labels = JSON.stringify(drawn.data.labels ?? []);
    box.dataset.points = JSON.stringify(Object.fromEntries(drawn.data.datasets.map(d => [d.label ?? '', d.data])));
  });
  return box;
}

/** "MM-DD HH:MM:SS" in UTC: sweeps can be seconds apart. */
export function timeLabel(iso: string): string {
  return new Date(iso).toISOString().slice(5, 19).replace('T', ' ');
}

export function hourLabel(iso: string): string {
  return iso.slice(5, 13).replace('T', ' ') + 'h';
}
