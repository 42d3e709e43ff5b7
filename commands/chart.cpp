#include "commands/chart.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <type_traits>

// Only the declarations: libcairo is opened on first use (below), not linked.
#include <cairo.h>

#include "src/core/logging.hpp"

namespace careerbot::commands {
namespace {

/// The Cairo functions the chart uses, resolved from libcairo.so.2 the first time a chart is
/// drawn. Linking Cairo would map it and its fourteen dependencies (X11, fontconfig,
/// freetype, pixman, png…) into every bot at start-up — a tenth of the idle memory budget
/// (B3) for a picture drawn a few times a quarter.
struct CairoApi {
    decltype(&::cairo_create) create = nullptr;
    decltype(&::cairo_destroy) destroy = nullptr;
    decltype(&::cairo_fill) fill = nullptr;
    decltype(&::cairo_image_surface_create) image_surface_create = nullptr;
    decltype(&::cairo_line_to) line_to = nullptr;
    decltype(&::cairo_move_to) move_to = nullptr;
    decltype(&::cairo_paint) paint = nullptr;
    decltype(&::cairo_rectangle) rectangle = nullptr;
    decltype(&::cairo_select_font_face) select_font_face = nullptr;
    decltype(&::cairo_set_font_size) set_font_size = nullptr;
    decltype(&::cairo_set_line_width) set_line_width = nullptr;
    decltype(&::cairo_set_source_rgb) set_source_rgb = nullptr;
    decltype(&::cairo_show_text) show_text = nullptr;
    decltype(&::cairo_stroke) stroke = nullptr;
    decltype(&::cairo_surface_destroy) surface_destroy = nullptr;
    decltype(&::cairo_surface_flush) surface_flush = nullptr;
    decltype(&::cairo_surface_status) surface_status = nullptr;
    decltype(&::cairo_surface_write_to_png_stream) surface_write_to_png_stream = nullptr;
    decltype(&::cairo_text_extents) text_extents = nullptr;
};

const CairoApi* load_cairo() {
    void* lib = dlopen("libcairo.so.2", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        logger("chart")->warn("charts are off: cannot load libcairo.so.2 ({})", dlerror());
        return nullptr;
    }
    static CairoApi api;
    bool ok = true;
    auto load = [&](auto& fn, const char* name) {
        fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
        if (fn == nullptr) {
            logger("chart")->warn("charts are off: libcairo.so.2 has no {}", name);
            ok = false;
        }
    };
    load(api.create, "cairo_create");
    load(api.destroy, "cairo_destroy");
    load(api.fill, "cairo_fill");
    load(api.image_surface_create, "cairo_image_surface_create");
    load(api.line_to, "cairo_line_to");
    load(api.move_to, "cairo_move_to");
    load(api.paint, "cairo_paint");
    load(api.rectangle, "cairo_rectangle");
    load(api.select_font_face, "cairo_select_font_face");
    load(api.set_font_size, "cairo_set_font_size");
    load(api.set_line_width, "cairo_set_line_width");
    load(api.set_source_rgb, "cairo_set_source_rgb");
    load(api.show_text, "cairo_show_text");
    load(api.stroke, "cairo_stroke");
    load(api.surface_destroy, "cairo_surface_destroy");
    load(api.surface_flush, "cairo_surface_flush");
    load(api.surface_status, "cairo_surface_status");
    load(api.surface_write_to_png_stream, "cairo_surface_write_to_png_stream");
    load(api.text_extents, "cairo_text_extents");
    return ok ? &api : nullptr;
}

/// The loaded API, or null when Cairo is not installed (the summary then goes without chart).
const CairoApi* cairo_api() {
    static const CairoApi* api = load_cairo();  // thread-safe, once
    return api;
}

/// The API; only called once render_chart_png() found it loaded.
const CairoApi& cairo() { return *cairo_api(); }

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo().surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo().destroy(c); }
};

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void text_at(cairo_t* cr, double x, double y, const std::string& s, double size,
             bool centred = false) {
    cairo().set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo().text_extents(cr, s.c_str(), &ext);
    cairo().move_to(cr, centred ? x - ext.width / 2 - ext.x_bearing : x, y);
    cairo().show_text(cr, s.c_str());
}

/// "2026-03" -> "Mar": the axis has room for three letters a month.
std::string month_label(const std::string& ym) {
    static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (ym.size() < 7) return ym;
    int m = std::atoi(ym.c_str() + 5);
    return m >= 1 && m <= 12 ? names[m - 1] : ym;
}

void draw_months(cairo_t* cr, const ChartData& d, double x0, double y0, double w, double h) {
    text_at(cr, x0, y0 - 10, "Brags per month", 14);
    int max = 1;
    for (const auto& [m, n] : d.per_month) max = std::max(max, n);
    const double n = std::max<std::size_t>(1, d.per_month.size());
    const double slot = w / n;
    cairo().set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo().move_to(cr, x0, y0 + h + 0.5);
    cairo().line_to(cr, x0 + w, y0 + h + 0.5);
    cairo().set_line_width(cr, 1);
    cairo().stroke(cr);
    for (std::size_t i = 0; i < d.per_month.size(); ++i) {
        const auto& [month, count] = d.per_month[i];
        double bh = (h - 16) * count / max;
        double x = x0 + i * slot + slot * 0.15;
        cairo().set_source_rgb(cr, 0.22, 0.45, 0.75);
        cairo().rectangle(cr, x, y0 + h - bh, slot * 0.7, bh);
        cairo().fill(cr);
        cairo().set_source_rgb(cr, 0.15, 0.15, 0.15);
        text_at(cr, x + slot * 0.35, y0 + h - bh - 4, std::to_string(count), 10, true);
        text_at(cr, x + slot * 0.35, y0 + h + 14, month_label(month), 10, true);
    }
}

void draw_mix(cairo_t* cr, const GrowthMix& mix, double x0, double y0, double h) {
    cairo().set_source_rgb(cr, 0.15, 0.15, 0.15);
    text_at(cr, x0, y0 - 10, "70-20-10 mix", 14);
    struct Colour {
        double r, g, b;
    };
    const Colour colours[] = {
        {0.22, 0.45, 0.75}, {0.95, 0.6, 0.2}, {0.35, 0.7, 0.4}, {0.75, 0.75, 0.75}};
    // The bar is the tagged mix, in the very shares the legend and the text give.
    auto pct = mix.percentages();
    const double bar_w = 48;
    double y = y0 + h;
    for (std::size_t i = 0; i < pct.size(); ++i) {
        double ph = h * pct[i] / 100.0;
        cairo().set_source_rgb(cr, colours[i].r, colours[i].g, colours[i].b);
        cairo().rectangle(cr, x0, y - ph, bar_w, ph);
        cairo().fill(cr);
        y -= ph;
    }
    double ly = y0 + 8;
    auto legend = mix_legend(mix);
    for (std::size_t i = 0; i < legend.size() && i < 4; ++i) {
        cairo().set_source_rgb(cr, colours[i].r, colours[i].g, colours[i].b);
        cairo().rectangle(cr, x0 + bar_w + 12, ly - 9, 10, 10);
        cairo().fill(cr);
        cairo().set_source_rgb(cr, 0.15, 0.15, 0.15);
        text_at(cr, x0 + bar_w + 28, ly, legend[i], 11);
        ly += 20;
    }
    if (mix.job + mix.others + mix.training + mix.untagged == 0)
        text_at(cr, x0 + bar_w + 12, ly + 10, "no brags this quarter", 11);
}

}  // namespace

std::vector<std::string> mix_legend(const GrowthMix& mix) {
    auto pct = mix.percentages();
    const std::pair<const char*, int> parts[] = {{"on the job (70)", mix.job},
                                                 {"from others (20)", mix.others},
                                                 {"training (10)", mix.training}};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < 3; ++i) {
        out.push_back(std::string(parts[i].first) + ": " + std::to_string(parts[i].second) + " (" +
                      std::to_string(pct[i]) + "%)");
    }
    out.push_back("untagged: " + std::to_string(mix.untagged) + " (not in the mix)");
    return out;
}

std::string render_chart_png(const ChartData& data, int width, int height) {
    if (cairo_api() == nullptr) return {};
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
        cairo().image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    if (cairo().surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return {};
    std::unique_ptr<cairo_t, ContextDeleter> ctx(cairo().create(surface.get()));
    cairo_t* cr = ctx.get();
    cairo().set_source_rgb(cr, 1, 1, 1);
    cairo().paint(cr);
    cairo().select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo().set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, 20, 30, data.title, 16);
    const double top = 80;
    const double plot_h = height - top - 40;
    const double months_w = width * 0.6;
    draw_months(cr, data, 20, top, months_w, plot_h);
    draw_mix(cr, data.mix, 40 + months_w, top, plot_h);
    std::string png;
    cairo().surface_flush(surface.get());
    if (cairo().surface_write_to_png_stream(surface.get(), append_png, &png) !=
        CAIRO_STATUS_SUCCESS)
        return {};
    return png;
}

}  // namespace careerbot::commands
