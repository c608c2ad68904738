#include "ml/fft.hpp"

#include <utility>

namespace tl::ml::detail {

namespace {

// sin(2*pi*j/512) for j = 0 .. 128 (rounded to float, 9 significant digits round-trip exactly):
// a quarter wave gives every twiddle of every size m <= 512 by symmetry.
constexpr float kQuarterSine[129] = {
    0.0f, 0.0122715384f, 0.024541229f, 0.0368072242f, 0.0490676761f, 0.061320737f,
    0.0735645667f, 0.0857973099f, 0.0980171412f, 0.110222206f, 0.122410677f, 0.134580702f,
    0.146730468f, 0.15885815f, 0.170961887f, 0.183039889f, 0.195090324f, 0.207111374f,
    0.219101235f, 0.231058106f, 0.242980182f, 0.254865646f, 0.266712755f, 0.27851969f,
    0.290284663f, 0.302005947f, 0.313681751f, 0.32531029f, 0.336889863f, 0.348418683f,
    0.359895051f, 0.371317208f, 0.382683426f, 0.393992037f, 0.405241311f, 0.416429549f,
    0.427555084f, 0.438616246f, 0.449611336f, 0.460538715f, 0.471396744f, 0.482183784f,
    0.492898196f, 0.50353837f, 0.514102757f, 0.524589658f, 0.534997642f, 0.545324981f,
    0.555570245f, 0.565731823f, 0.575808167f, 0.585797846f, 0.59569931f, 0.605511069f,
    0.615231574f, 0.624859512f, 0.634393275f, 0.643831551f, 0.653172851f, 0.662415802f,
    0.671558976f, 0.680601001f, 0.689540565f, 0.698376238f, 0.707106769f, 0.715730846f,
    0.724247098f, 0.732654274f, 0.740951121f, 0.749136388f, 0.757208824f, 0.765167236f,
    0.773010433f, 0.780737221f, 0.78834641f, 0.795836926f, 0.803207517f, 0.81045717f,
    0.817584813f, 0.824589312f, 0.831469595f, 0.838224709f, 0.84485358f, 0.851355195f,
    0.857728601f, 0.863972843f, 0.870086968f, 0.876070082f, 0.881921291f, 0.887639642f,
    0.893224299f, 0.898674488f, 0.903989315f, 0.909168005f, 0.914209783f, 0.919113874f,
    0.923879504f, 0.928506076f, 0.932992816f, 0.937339008f, 0.941544056f, 0.945607305f,
    0.949528158f, 0.953306019f, 0.956940353f, 0.960430503f, 0.963776052f, 0.966976464f,
    0.970031261f, 0.972939968f, 0.975702107f, 0.97831738f, 0.980785251f, 0.983105481f,
    0.985277653f, 0.987301409f, 0.989176512f, 0.990902662f, 0.992479563f, 0.993906975f,
    0.99518472f, 0.996312618f, 0.997290432f, 0.998118103f, 0.99879545f, 0.999322355f,
    0.999698818f, 0.999924719f, 1.0f,
};

// sin and cos of 2*pi*j/512 for j in [0, 256) (the half turn a forward FFT needs).
float sin512(std::size_t j) { return j <= 128 ? kQuarterSine[j] : kQuarterSine[256 - j]; }
float cos512(std::size_t j) { return j <= 128 ? kQuarterSine[128 - j] : -kQuarterSine[j - 128]; }

void bit_reverse(float* re, float* im, std::size_t m) {
  std::size_t j = 0;
  for (std::size_t i = 1; i < m; ++i) {
    std::size_t bit = m >> 1;
    for (; (j & bit) != 0; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) {
      std::swap(re[i], re[j]);
      std::swap(im[i], im[j]);
    }
  }
}

}  // namespace

void fft(float* re, float* im, std::size_t m) {
  bit_reverse(re, im, m);
  for (std::size_t len = 2; len <= m; len <<= 1) {
    const std::size_t half = len >> 1;
    const std::size_t stride = kMaxFft / len;  // twiddle k of size len = entry k * stride of 512
    for (std::size_t start = 0; start < m; start += len) {
      for (std::size_t k = 0; k < half; ++k) {
        const float wr = cos512(k * stride);
        const float wi = -sin512(k * stride);
        float* ar = re + start + k;
        float* ai = im + start + k;
        const float tr = ar[half] * wr - ai[half] * wi;
        const float ti = ar[half] * wi + ai[half] * wr;
        ar[half] = *ar - tr;
        ai[half] = *ai - ti;
        *ar = *ar + tr;
        *ai = *ai + ti;
      }
    }
  }
}

}  // namespace tl::ml::detail
