// The parts of Chart.js a trend uses, registered once: loaded on demand by TrendChart, so
// the app starts without it, and tree-shaken to the line chart.
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

export { Chart };
