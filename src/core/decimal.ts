// Exact decimal arithmetic for points, multipliers and token amounts, the one Decimal every module
// uses. decimal.js rounds each operation to 20 significant digits by default, which silently
// changes an 18-decimal token amount or a large product; this clone keeps 1,000, far more than any
// input the API accepts can need, so sums, differences and products are exact. A division that
// does not terminate runs to that precision: round it explicitly (toDecimalPlaces).
import { Decimal as DecimalJs } from "decimal.js";

export const Decimal = DecimalJs.clone({ precision: 1_000 });
export type Decimal = DecimalJs;
