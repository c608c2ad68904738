// Every LwM2M value type, for fuzz targets that decode each input as each type.
#pragma once
#include "wire/lwm2m/value.hpp"

namespace fuzz_support {

inline constexpr tl::wire::lwm2m::ValueType kAllValueTypes[] = {
    tl::wire::lwm2m::ValueType::none,     tl::wire::lwm2m::ValueType::string,
    tl::wire::lwm2m::ValueType::integer,  tl::wire::lwm2m::ValueType::unsigned_integer,
    tl::wire::lwm2m::ValueType::floating, tl::wire::lwm2m::ValueType::boolean,
    tl::wire::lwm2m::ValueType::opaque,   tl::wire::lwm2m::ValueType::time,
    tl::wire::lwm2m::ValueType::objlnk,   tl::wire::lwm2m::ValueType::corelnk};

}  // namespace fuzz_support
