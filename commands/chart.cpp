#include "commands/chart.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <cairo.h>

namespace careerbot::commands {
namespace {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void text_at(cairo_t* cr, double x, double y, const std::string& s, double size,
             bool centred = false) {
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s.c_str(), &ext);
    cairo_move_to(cr, centred ? x - ext.width / 2 - ext.x_bearing : x, y);
    cairo_show_text(cr, s.c_str());
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
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_move_to(cr, x0, y0 + h + 0.5);
    cairo_line_to(cr, x0 + w, y0 + h + 0.5);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    for (std::size_t i = 0; i < d.per_month.size(); ++i) {
        const auto& [month, count] = d.per_month[i];
        double bh = (h - 16) * count / max;
        double x = x0 + i * slot + slot * 0.15;
        cairo_set_source_rgb(cr, 0.22, 0.45, 0.75);
        cairo_rectangle(cr, x, y0 + h - bh, slot * 0.7, bh);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        text_at(cr, x + slot * 0.35, y0 + h - bh - 4, std::to_string(count), 10, true);
        text_at(cr, x + slot * 0.35, y0 + h + 14, month_label(month), 10, true);
    }
}

void draw_mix(cairo_t* cr, const GrowthMix& mix, double x0, double y0, double h) {
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    text_at(cr, x0, y0 - 10, "70-20-10 mix", 14);
    struct Part {
        const char* label;
        int count;
        double r, g, b;
    };
    const Part parts[] = {{"on the job (70)", mix.job, 0.22, 0.45, 0.75},
                          {"from others (20)", mix.others, 0.95, 0.6, 0.2},
                          {"training (10)", mix.training, 0.35, 0.7, 0.4},
                          {"untagged", mix.untagged, 0.75, 0.75, 0.75}};
    int total = 0;
    for (const auto& p : parts) total += p.count;
    const double bar_w = 48;
    double y = y0 + h;
    for (const auto& p : parts) {
        double ph = total > 0 ? h * p.count / total : 0;
        cairo_set_source_rgb(cr, p.r, p.g, p.b);
        cairo_rectangle(cr, x0, y - ph, bar_w, ph);
        cairo_fill(cr);
        y -= ph;
    }
    double ly = y0 + 8;
    for (const auto& p : parts) {
        cairo_set_source_rgb(cr, p.r, p.g, p.b);
        cairo_rectangle(cr, x0 + bar_w + 12, ly - 9, 10, 10);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        int pct = total > 0 ? static_cast<int>(std::lround(100.0 * p.count / total)) : 0;
        text_at(cr, x0 + bar_w + 28, ly,
                std::string(p.label) + ": " + std::to_string(p.count) + " (" + std::to_string(pct) +
                    "%)",
                11);
        ly += 20;
    }
    if (total == 0) text_at(cr, x0 + bar_w + 12, ly + 10, "no brags this quarter", 11);
}

}  // namespace

std::string render_chart_png(const ChartData& data, int width, int height) {
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return {};
    std::unique_ptr<cairo_t, ContextDeleter> ctx(cairo_create(surface.get()));
    cairo_t* cr = ctx.get();
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, 20, 30, data.title, 16);
    const double top = 80;
    const double plot_h = height - top - 40;
    const double months_w = width * 0.6;
    draw_months(cr, data, 20, top, months_w, plot_h);
    draw_mix(cr, data.mix, 40 + months_w, top, plot_h);
    std::string png;
    cairo_surface_flush(surface.get());
    if (cairo_surface_write_to_png_stream(surface.get(), append_png, &png) != CAIRO_STATUS_SUCCESS)
        return {};
    return png;
}

}  // namespace careerbot::commands
