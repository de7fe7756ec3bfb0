//! Conversion between IEEE 754 binary16 (half precision) bits and `f64`.
//!
//! A half has 1 sign bit, 5 exponent bits (bias 15) and 10 mantissa bits.
//! Every half value is exactly representable as an `f64`, so widening is
//! exact. Narrowing rounds to nearest, ties to even.

const HALF_SIGN: u16 = 0x8000;
const HALF_EXPONENT_MASK: u16 = 0x7C00;
const HALF_MANTISSA_MASK: u16 = 0x03FF;
const HALF_QUIET_NAN: u16 = 0x7E00;

const DOUBLE_MANTISSA_BITS: u32 = 52;
const DOUBLE_MANTISSA_MASK: u64 = (1 << DOUBLE_MANTISSA_BITS) - 1;
const DOUBLE_EXPONENT_MAX: u64 = 0x7FF;
const DOUBLE_BIAS: i64 = 1023;
const HALF_BIAS: i64 = 15;

/// Number of low mantissa bits an `f64` has beyond the 10 of a half.
const MANTISSA_SHIFT: u32 = DOUBLE_MANTISSA_BITS - 10;

/// Converts half-precision bits to the `f64` of the same value.
///
/// Signed zeros, subnormals and infinities map exactly. A NaN keeps its sign
/// and its mantissa bits, which land in the top of the `f64` mantissa.
pub fn f16_bits_to_f64(bits: u16) -> f64 {
    let sign = u64::from(bits & HALF_SIGN) << 48;
    let exponent = (bits & HALF_EXPONENT_MASK) >> 10;
    let mantissa = u64::from(bits & HALF_MANTISSA_MASK);

    let magnitude = match exponent {
        0 => subnormal_to_f64_bits(mantissa),
        31 => (DOUBLE_EXPONENT_MAX << DOUBLE_MANTISSA_BITS) | (mantissa << MANTISSA_SHIFT),
        _ => {
            let double_exponent = u64::from(exponent) + (DOUBLE_BIAS - HALF_BIAS) as u64;
            (double_exponent << DOUBLE_MANTISSA_BITS) | (mantissa << MANTISSA_SHIFT)
        }
    };
    f64::from_bits(sign | magnitude)
}

/// Returns the `f64` bits of `mantissa * 2^-24`, the value of a subnormal
/// half (or zero when `mantissa == 0`).
fn subnormal_to_f64_bits(mantissa: u64) -> u64 {
    if mantissa == 0 {
        return 0;
    }

    // Shift the leading one up to the implicit-bit position of an f64.
    let leading = 63 - mantissa.leading_zeros();
    let fraction = (mantissa << (DOUBLE_MANTISSA_BITS - leading)) & DOUBLE_MANTISSA_MASK;
    let exponent = (DOUBLE_BIAS - 24 + i64::from(leading)) as u64;
    (exponent << DOUBLE_MANTISSA_BITS) | fraction
}

/// Converts an `f64` to the nearest half-precision value, ties to even.
///
/// Values of magnitude 65520 or more become infinity, and values of
/// magnitude at most 2^-25 become a signed zero. A NaN stays a quiet NaN
/// with the same sign.
pub fn f64_to_f16_bits(value: f64) -> u16 {
    let bits = value.to_bits();
    let sign = ((bits >> 48) & u64::from(HALF_SIGN)) as u16;
    let exponent = (bits >> DOUBLE_MANTISSA_BITS) & DOUBLE_EXPONENT_MAX;
    let mantissa = bits & DOUBLE_MANTISSA_MASK;

    if exponent == DOUBLE_EXPONENT_MAX {
        return sign | special_to_f16(mantissa);
    }

    let unbiased = exponent as i64 - DOUBLE_BIAS;
    if unbiased > HALF_BIAS {
        return sign | HALF_EXPONENT_MASK;
    }

    if unbiased >= 1 - HALF_BIAS {
        // Normal half. A carry out of the mantissa while rounding moves into
        // the exponent, which yields the next binade or infinity as needed.
        let half_exponent = (unbiased + HALF_BIAS) as u64;
        let truncated = (half_exponent << 10) | (mantissa >> MANTISSA_SHIFT);
        return sign | round_half_even(truncated, mantissa, MANTISSA_SHIFT) as u16;
    }

    sign | subnormal_to_f16(exponent, mantissa)
}

/// Returns the magnitude bits of a half infinity or quiet NaN.
fn special_to_f16(mantissa: u64) -> u16 {
    if mantissa == 0 {
        return HALF_EXPONENT_MASK;
    }
    HALF_QUIET_NAN | ((mantissa >> MANTISSA_SHIFT) as u16 & HALF_MANTISSA_MASK)
}

/// Rounds an `f64` below the smallest normal half to a subnormal half (in
/// units of 2^-24), possibly zero or the smallest normal.
fn subnormal_to_f16(exponent: u64, mantissa: u64) -> u16 {
    // The value is significand * 2^(max(exponent, 1) - 1075). In units of
    // 2^-24 that is significand >> shift with shift = 1051 - max(exponent, 1).
    let significand = if exponent == 0 {
        mantissa
    } else {
        mantissa | (1 << DOUBLE_MANTISSA_BITS)
    };
    let shift = 1051 - exponent.max(1);

    // The significand is below 2^53, so beyond a shift of 53 the value is
    // under half a unit and rounds to zero.
    if shift > 53 {
        return 0;
    }

    let shift = shift as u32;
    round_half_even(significand >> shift, significand, shift) as u16
}

/// Rounds `truncated` (the kept high bits) up when the `dropped_bits` low
/// bits of `source` exceed one half, or equal one half and `truncated` is odd.
fn round_half_even(truncated: u64, source: u64, dropped_bits: u32) -> u64 {
    let remainder = source & ((1 << dropped_bits) - 1);
    let half = 1 << (dropped_bits - 1);

    let round_up = remainder > half || (remainder == half && truncated & 1 == 1);
    truncated + u64::from(round_up)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computes a half's value by the textbook formula, with `powi`, as a
    /// reference that shares no bit manipulation with the code under test.
    fn reference_value(bits: u16) -> f64 {
        let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
        let exponent = i32::from((bits >> 10) & 0x1F);
        let mantissa = f64::from(bits & 0x3FF);

        match exponent {
            0 => sign * 2f64.powi(-14) * (mantissa / 1024.0),
            31 if mantissa == 0.0 => sign * f64::INFINITY,
            31 => f64::NAN,
            _ => sign * 2f64.powi(exponent - 15) * (1.0 + mantissa / 1024.0),
        }
    }

    #[test]
    fn widening_matches_formula_for_all_bits() {
        for bits in 0..=u16::MAX {
            let expected = reference_value(bits);
            let actual = f16_bits_to_f64(bits);
            if expected.is_nan() {
                assert!(actual.is_nan(), "bits {bits:#06x} gave {actual}");
                assert_eq!(actual.is_sign_negative(), bits & 0x8000 != 0);
            } else {
                assert_eq!(actual.to_bits(), expected.to_bits(), "bits {bits:#06x}");
            }
        }
    }

    #[test]
    fn widening_known_values() {
        assert_eq!(f16_bits_to_f64(0x3C00), 1.0);
        assert_eq!(f16_bits_to_f64(0xC000), -2.0);
        assert_eq!(f16_bits_to_f64(0x7BFF), 65504.0);
        assert_eq!(f16_bits_to_f64(0x0001), 2f64.powi(-24));
        assert_eq!(f16_bits_to_f64(0x0400), 2f64.powi(-14));
        assert_eq!(f16_bits_to_f64(0x3555), 0.333_251_953_125);
    }

    #[test]
    fn narrowing_round_trips_all_non_nan_bits() {
        for bits in 0..=u16::MAX {
            let value = f16_bits_to_f64(bits);
            if value.is_nan() {
                continue;
            }
            assert_eq!(f64_to_f16_bits(value), bits, "bits {bits:#06x}");
        }
    }

    #[test]
    fn narrowing_rounds_ties_to_even() {
        // Walk every pair of adjacent positive finite halves, including the
        // step from the largest finite half to infinity.
        for low in 0..0x7C00u16 {
            let high = low + 1;
            let low_value = f16_bits_to_f64(low);
            let high_value = if high == 0x7C00 {
                65536.0
            } else {
                f16_bits_to_f64(high)
            };
            let midpoint = (low_value + high_value) / 2.0;
            let even = if low % 2 == 0 { low } else { high };
            let above = f64::from_bits(midpoint.to_bits() + 1);
            let below = f64::from_bits(midpoint.to_bits() - 1);

            assert_eq!(f64_to_f16_bits(midpoint), even, "tie above {low:#06x}");
            assert_eq!(f64_to_f16_bits(above), high, "above tie of {low:#06x}");
            assert_eq!(f64_to_f16_bits(below), low, "below tie of {low:#06x}");
            assert_eq!(f64_to_f16_bits(-midpoint), even | 0x8000);
        }
    }

    #[test]
    fn narrowing_special_values() {
        assert_eq!(f64_to_f16_bits(f64::INFINITY), 0x7C00);
        assert_eq!(f64_to_f16_bits(f64::NEG_INFINITY), 0xFC00);
        assert_eq!(f64_to_f16_bits(1e300), 0x7C00);
        assert_eq!(f64_to_f16_bits(65519.99), 0x7BFF);
        assert_eq!(f64_to_f16_bits(65520.0), 0x7C00);
        assert_eq!(f64_to_f16_bits(-0.0), 0x8000);
        assert_eq!(f64_to_f16_bits(1e-300), 0x0000);
        assert_eq!(f64_to_f16_bits(f64::from_bits(1)), 0x0000);
        assert_eq!(f64_to_f16_bits(2f64.powi(-25)), 0x0000);
        assert_eq!(f64_to_f16_bits(2f64.powi(-25) * 1.5), 0x0001);
        assert!(f16_bits_to_f64(f64_to_f16_bits(f64::NAN)).is_nan());
        assert!(f16_bits_to_f64(f64_to_f16_bits(-f64::NAN)).is_sign_negative());
    }
}
