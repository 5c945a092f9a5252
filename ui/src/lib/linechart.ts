// uPlot and its stylesheet: loaded on demand by TrendChart the first time a trend is drawn,
// so the app starts without them.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export { uPlot };
